# shellcheck shell=bash
# The TLS front of OpenSearch for the secured stack (STACK_SECURITY=on): nginx from Debian
# terminates HTTPS on OPENSEARCH_TLS_PORT with a certificate from the instance's CA (lib/ca.sh),
# checks basic authentication against per-instance passwords, and lets each user do only what
# its rules below allow before it proxies to the plain OpenSearch on 127.0.0.1:OPENSEARCH_PORT.
# A front, not the OpenSearch security plugin, because the plugin is not published on Maven
# Central at the stack's OpenSearch version (the compose stack runs the real plugin).
# Sourced by stack/stack, never executed; uses its TLS_DIR, SECRETS_DIR, BIND_HOST, LOG_DIR,
# OPENSEARCH_USER and process helpers.

# indexer and dashboards: least privilege (front_rules); admin: everything.
readonly OPENSEARCH_FRONT_USERS=(admin indexer dashboards)

front_home() { printf '%s/nginx\n' "$STACK_HOME"; }
front_url() { printf 'https://%s:%s\n' "$BIND_HOST" "$OPENSEARCH_TLS_PORT"; }
front_pid_file() { printf '%s/run/nginx.pid\n' "$(front_home)"; }
opensearch_password() { cat "$SECRETS_DIR/opensearch-$1.password"; }

front_nginx() {
  command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } \
    || stack_die "STACK_SECURITY=on puts nginx in front of OpenSearch: apt-get install nginx-light (only the binary is used; no system service is started)"
}

# The running master of this instance: its pid file's process, while its command line still
# names this instance's prefix (a recycled pid does not).
front_running_pid() {
  local pid
  pid="$(cat "$(front_pid_file)" 2>/dev/null || true)"
  is_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-p $(front_home)/" || return 1
  printf '%s\n' "$pid"
}

# Passwords are kept when present: rotating one is replacing its file and running `up` again.
ensure_front_secrets() {
  stack_passwords_ensure "$SECRETS_DIR" opensearch "${OPENSEARCH_FRONT_USERS[@]}"
  stack_ca_ensure "$TLS_DIR"
  stack_cert_issue "$TLS_DIR" opensearch-front
}

# The per-user rules: one regular expression per line over "<user> <METHOD> <path>", the path
# without its query. Paths are matched as the client sent them (never decoded), and every
# pattern is anchored and spelled in the characters of index names, so "..", "%2F" or a
# comma list with a foreign index cannot slip through. An index of Streamdex is
# "<namespace>streamdex-..." (STREAMDEX_NAMESPACE may be any of them).
front_rules() {
  local ix='(?:[a-z0-9][a-z0-9._-]*)?streamdex-[a-z0-9._*-]*'
  local list="$ix(?:,$ix)*"
  local health='(?:[a-z0-9][a-z0-9._-]*)?streamdex-health-[0-9.]+'
  cat <<RULES
^admin [A-Z]+ /
^(?:indexer|dashboards) (?:GET|HEAD) /\$
^(?:indexer|dashboards) GET /_cluster/health\$
^indexer (?:GET|PUT) /_ingest/pipeline/streamdex-indexed-at-latency\$
^indexer (?:GET|PUT|POST) /_index_template/$ix\$
^indexer (?:GET|HEAD) /_alias/$list\$
^indexer PUT /$ix\$
^indexer PUT /$list/_settings\$
^indexer (?:POST|PUT) /_bulk\$
^indexer GET /_cat/indices/$list\$
^indexer DELETE /$health(?:,$health)*\$
^dashboards (?:GET|POST) /$list/_(?:search|count)\$
^dashboards GET /$list/_mapping\$
RULES
}

write_front_config() {
  local home conf run_user="" line
  home="$(front_home)"
  conf="$home/conf"
  mkdir -p "$conf" "$home/run" "$home/logs" "$home/tmp"
  # nginx reads its key and password hashes as the user it runs as: copies it owns.
  (
    umask 077
    cp "$TLS_DIR/opensearch-front.crt" "$conf/front.crt"
    cat "$TLS_DIR/ca.crt" >>"$conf/front.crt"
    cp "$TLS_DIR/opensearch-front.key" "$conf/front.key"
    : >"$conf/htpasswd.new"
    for line in "${OPENSEARCH_FRONT_USERS[@]}"; do
      printf '%s:%s\n' "$line" "$(opensearch_password "$line" | openssl passwd -6 -stdin)" >>"$conf/htpasswd.new"
    done
    mv -f "$conf/htpasswd.new" "$conf/htpasswd"
  )
  {
    printf '# Written by stack/stack on every start; edit stack/lib/opensearch-front.sh, not this file.\n'
    printf 'map "$remote_user $request_method $front_path" $front_allowed {\n  default 0;\n'
    while IFS= read -r line; do printf '  "~%s" 1;\n' "$line"; done < <(front_rules)
    printf '}\n'
  } >"$conf/rules.conf"
  cat >"$conf/nginx.conf" <<CONF
# Written by stack/stack on every start; edit stack/lib/opensearch-front.sh, not this file.
daemon off;
worker_processes 1;
pid $home/run/nginx.pid;
error_log $home/logs/error.log warn;
events { worker_connections 512; }
http {
  # Who did what, never with the Authorization header.
  log_format front '\$time_iso8601 \$remote_addr user=\$remote_user "\$request_method \$front_path" \$status \$body_bytes_sent \$request_time';
  access_log $home/logs/access.log front;
  client_body_temp_path $home/tmp/body;
  proxy_temp_path $home/tmp/proxy;
  fastcgi_temp_path $home/tmp/fastcgi;
  uwsgi_temp_path $home/tmp/uwsgi;
  scgi_temp_path $home/tmp/scgi;
  # BULK_MAX_BYTES goes up to 100 MiB.
  client_max_body_size 128m;
  server_tokens off;

  map \$request_uri \$front_path { "~^(?<p>[^?]*)" \$p; }
  include $conf/rules.conf;
  # A JSON string may not hold a raw quote or backslash; a user name could.
  map \$remote_user \$front_user { "~^[A-Za-z0-9._-]*\$" \$remote_user; default "(unprintable)"; }

  upstream opensearch { server $BIND_HOST:$OPENSEARCH_PORT; keepalive 16; }

  server {
    listen $BIND_HOST:$OPENSEARCH_TLS_PORT ssl;
    ssl_certificate $conf/front.crt;
    ssl_certificate_key $conf/front.key;
    ssl_protocols TLSv1.2 TLSv1.3;

    auth_basic "OpenSearch (Streamdex stack)";
    auth_basic_user_file $conf/htpasswd;
    # After auth_basic in the access phase: a wrong password is 401, never 403.
    auth_request /_front_authz;

    error_page 401 = @unauthorized;
    error_page 403 = @forbidden;

    location / {
      proxy_pass http://opensearch;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "";
      proxy_read_timeout 300s;
      proxy_request_buffering off;
    }
    location = /_front_authz {
      internal;
      if (\$front_allowed = 0) { return 403; }
      return 204;
    }
    # The shape of the security plugin's answers, so clients read one format from both stacks.
    location @unauthorized {
      default_type application/json;
      add_header WWW-Authenticate 'Basic realm="OpenSearch (Streamdex stack)"' always;
      return 401 '{"error":{"type":"security_exception","reason":"authentication failed for user [\$front_user]"},"status":401}';
    }
    location @forbidden {
      default_type application/json;
      return 403 '{"error":{"type":"security_exception","reason":"no permissions for [\$request_method \$front_path] and User [name=\$front_user]"},"status":403}';
    }
  }
}
CONF
  if as_root; then
    ensure_opensearch_user
    run_user="$OPENSEARCH_USER"
    chown -R "$run_user:" "$home"
  fi
  chmod 700 "$conf"
  chmod 600 "$conf/htpasswd" "$conf/front.key"
}

# The front answers, its certificate verifies against the CA, and admin gets through to OpenSearch.
front_answers() {
  curl -fsS --max-time 5 -o /dev/null --cacert "$TLS_DIR/ca.crt" -K - "$(front_url)/" 2>/dev/null \
    <<<"user = \"admin:$(opensearch_password admin)\""
}

start_front() {
  local nginx pid home
  nginx="$(front_nginx)"
  home="$(front_home)"
  ensure_front_secrets
  write_front_config
  if pid="$(front_running_pid)"; then
    # New passwords or rules take effect without dropping connections.
    "$nginx" -p "$home/" -c "$home/conf/nginx.conf" -e "$home/logs/error.log" -t -q \
      || stack_die "nginx rejects $home/conf/nginx.conf; see above"
    kill -HUP "$pid"
    stack_log "opensearch front reloaded (pid $pid, $(front_url))"
  else
    require_free_port "$OPENSEARCH_TLS_PORT" OPENSEARCH_TLS_PORT
    rotate_out "$LOG_DIR/nginx.out"
    local -a launch=("$nginx" -p "$home/" -c "$home/conf/nginx.conf" -e "$home/logs/error.log")
    if as_root; then launch=(setpriv --reuid="$OPENSEARCH_USER" --regid="$OPENSEARCH_USER" --init-groups -- "${launch[@]}"); fi
    setsid "${launch[@]}" </dev/null >>"$LOG_DIR/nginx.out" 2>&1 9>&- &
    stack_log "opensearch front starting (pid $!, $(front_url) -> $(os_url))"
  fi
  local deadline=$((SECONDS + 20))
  until front_answers; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      show_log_tail "$LOG_DIR/nginx.out" "$home/logs/error.log"
      stack_die "the OpenSearch front did not answer on $(front_url) within 20 s; logs: $LOG_DIR/nginx.out $home/logs/error.log"
    fi
    sleep 0.3
  done
  stack_log "opensearch front ready: OPENSEARCH_URL=$(front_url) OPENSEARCH_CA_FILE=$TLS_DIR/ca.crt, users ${OPENSEARCH_FRONT_USERS[*]} (OPENSEARCH_USERNAME), passwords in $SECRETS_DIR/opensearch-<user>.password (OPENSEARCH_PASSWORD_FILE)"
}

stop_front() {
  local pid deadline
  pid="$(front_running_pid)" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 10))
  while is_alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if is_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  stack_log "opensearch front stopped (pid $pid)"
}

front_status() {
  local pid
  if ! pid="$(front_running_pid)"; then
    echo "opensearch-front: down (STACK_SECURITY=on; see $LOG_DIR/nginx.out)"
    return 1
  fi
  if ! front_answers; then
    echo "opensearch-front: down (pid $pid is running but $(front_url) does not answer; see $(front_home)/logs/error.log)"
    return 1
  fi
  echo "opensearch-front: up (pid $pid, $(front_url))"
}
