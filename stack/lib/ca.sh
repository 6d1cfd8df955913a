# shellcheck shell=bash
# A certificate authority per stack instance, for the secured stack (STACK_SECURITY=on):
# Kafka's SASL_SSL listener and the TLS front of OpenSearch present certificates it signs, and
# the services verify them against its ca.crt. Keys never leave the instance's folder
# (STACK_HOME is git-ignored). Sourced, never executed; needs openssl.
#
#   stack_ca_ensure DIR                    DIR/ca.key, DIR/ca.crt (kept when present)
#   stack_cert_issue DIR NAME [SAN...]     DIR/NAME.key, DIR/NAME.crt signed by DIR's CA;
#                                          SANs default to DNS:localhost,IP:127.0.0.1
#   stack_passwords_ensure DIR PREFIX USER...   DIR/PREFIX-USER.password, random, mode 0600
#                                          (kept when present: rotating is replacing the file)

stack_ca_ensure() { # dir
  local dir="$1"
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ -s "$dir/ca.key" ] && [ -s "$dir/ca.crt" ] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -sha256 \
    -subj "/CN=Streamdex stack CA $(basename "$(dirname "$dir")")-$RANDOM" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null ||
    { printf 'stack: error: openssl could not create the CA in %s\n' "$dir" >&2; return 1; }
  chmod 600 "$dir/ca.key"
}

stack_cert_issue() { # dir name [san...]
  local dir="$1" name="$2"
  shift 2
  local sans=("$@")
  [ ${#sans[@]} -gt 0 ] || sans=(DNS:localhost IP:127.0.0.1)
  local san_list
  san_list="$(IFS=,; echo "${sans[*]}")"
  [ -s "$dir/$name.key" ] && [ -s "$dir/$name.crt" ] && return 0
  openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=$name" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null &&
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
      -days 825 -sha256 -out "$dir/$name.crt" \
      -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san_list") 2>/dev/null ||
    { printf 'stack: error: openssl could not issue the %s certificate in %s\n' "$name" "$dir" >&2; return 1; }
  rm -f "$dir/$name.csr"
  chmod 600 "$dir/$name.key"
}

stack_passwords_ensure() { # dir prefix user...
  local dir="$1" prefix="$2" user
  shift 2
  command -v openssl >/dev/null 2>&1 || stack_die "openssl is needed for STACK_SECURITY=on (apt-get install openssl)"
  (umask 077; mkdir -p "$dir")
  chmod 700 "$dir"
  for user in "$@"; do
    [ -s "$dir/$prefix-$user.password" ] || (umask 077; openssl rand -hex 24 >"$dir/$prefix-$user.password")
  done
}
