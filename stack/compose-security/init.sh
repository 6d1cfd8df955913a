#!/usr/bin/env bash
# The compose stack's OpenSearch security, made once per volume by the opensearch-security-init
# job (docker-compose.yml) in the OpenSearch image itself: its JDK's keytool makes a CA, the
# node's certificate and the admin certificate securityadmin uses; its security plugin's hash.sh
# hashes the users' passwords from .env into internal_users.yml. Nothing here is committed:
# keys and hashes live in the job's volumes.
#
#   /certs     node.p12 (node key and chain), admin.p12, truststore.p12, ca.crt   (OpenSearch only)
#   /ca        ca.crt                                                             (every client)
#   /security  the plugin's configuration (the image's defaults, then ours)       (OpenSearch only)
set -euo pipefail

: "${KEYSTORE_PASSWORD:?}" "${ADMIN_PASSWORD:?}" "${INDEXER_PASSWORD:?}" "${DASHBOARDS_PASSWORD:?}"
certs="${CERTS_DIR:-/certs}"
ca_out="${CA_DIR:-/ca}"
security="${SECURITY_DIR:-/security}"
home="${OPENSEARCH_HOME:-/usr/share/opensearch}"
here="$(dirname "$(readlink -f "$0")")"
kt() { keytool -storetype PKCS12 -storepass "$KEYSTORE_PASSWORD" "$@"; }

# A certificate signed by the CA, its chain in its own keystore: issue ALIAS DNAME EXT...
issue() {
  local alias="$1" dname="$2"
  shift 2
  kt -genkeypair -alias "$alias" -keyalg RSA -keysize 2048 -validity 825 -dname "$dname" -keystore "$certs/$alias.p12"
  kt -importcert -noprompt -alias ca -file "$certs/ca.crt" -keystore "$certs/$alias.p12"
  kt -certreq -alias "$alias" -keystore "$certs/$alias.p12" |
    kt -gencert -alias ca -keystore "$certs/ca.p12" -validity 825 -rfc "$@" >"$certs/$alias.crt"
  kt -importcert -noprompt -alias "$alias" -file "$certs/$alias.crt" -keystore "$certs/$alias.p12"
}

if [ ! -s "$certs/node.p12" ]; then
  rm -f "$certs"/*.p12 "$certs"/*.crt
  kt -genkeypair -alias ca -keyalg RSA -keysize 2048 -validity 825 -dname "CN=Streamdex compose CA" \
    -ext bc:c -ext ku:c=keyCertSign,cRLSign -keystore "$certs/ca.p12"
  kt -exportcert -rfc -alias ca -keystore "$certs/ca.p12" >"$certs/ca.crt"
  # Clients reach the node as opensearch (containers) and localhost (the published port).
  issue node "CN=opensearch" -ext "SAN=dns:opensearch,dns:localhost,ip:127.0.0.1" -ext "EKU=serverAuth,clientAuth" -ext "KU=digitalSignature,keyEncipherment"
  issue admin "CN=streamdex-admin" -ext "EKU=clientAuth" -ext "KU=digitalSignature,keyEncipherment"
  kt -importcert -noprompt -alias ca -file "$certs/ca.crt" -keystore "$certs/truststore.p12"
  echo "opensearch-security-init: CA, node and admin certificates created"
fi
cp "$certs/ca.crt" "$ca_out/ca.crt"

# The image's defaults (config.yml: basic authentication against the internal users, and the
# rest), then the Streamdex users, roles and mappings.
cp -n "$home/config/opensearch-security/"*.yml "$security/" 2>/dev/null || true
cp "$here/roles.yml" "$here/roles_mapping.yml" "$security/"
hash() { "$home/plugins/opensearch-security/tools/hash.sh" -p "$1" | tail -n 1; }
cat >"$security/internal_users.yml.new" <<USERS
_meta:
  type: "internalusers"
  config_version: 2
admin:
  hash: "$(hash "$ADMIN_PASSWORD")"
  reserved: true
  description: "Streamdex administrator (all_access)"
indexer:
  hash: "$(hash "$INDEXER_PASSWORD")"
  description: "consumer-indexer: writes the Streamdex indices and manages their templates"
dashboards:
  hash: "$(hash "$DASHBOARDS_PASSWORD")"
  description: "OpenSearch Dashboards' server and the saved-objects import; reads the Streamdex indices"
USERS
mv -f "$security/internal_users.yml.new" "$security/internal_users.yml"

# OpenSearch runs as uid 1000 in its image; this job runs as root to own fresh volumes.
if [ "$(id -u)" -eq 0 ]; then chown -R 1000:1000 "$certs" "$security"; fi
chmod 700 "$certs" "$security"
chmod 600 "$certs"/* "$security"/*
chmod 644 "$ca_out/ca.crt"
echo "opensearch-security-init: users admin, indexer, dashboards written"
