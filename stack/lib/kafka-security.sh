# shellcheck shell=bash
# The secured Kafka of stack/stack (STACK_SECURITY=on): a SASL_SSL client listener with
# SCRAM-SHA-512 users, a certificate from the instance's CA (lib/ca.sh), KRaft's
# StandardAuthorizer and one least-privilege principal per service. Sourced by stack/stack,
# never executed; uses its TLS_DIR, SECRETS_DIR, BIND_HOST and node helpers.

# The principals: admin (super user: creates topics and ACLs), one per service, and outsider,
# a valid login with no ACL at all, for the negative tests.
readonly KAFKA_USERS=(admin producer processor indexer analytics outsider)

# Random passwords per instance, each in its own 0600 file (what KAFKA_SASL_PASSWORD_FILE
# reads), the certificates, and the admin tools' --command-config. Kept when present, so a
# restart keeps the logins the SCRAM credentials in the metadata log were made from.
ensure_kafka_secrets() {
  stack_passwords_ensure "$SECRETS_DIR" kafka "${KAFKA_USERS[@]}"
  stack_ca_ensure "$TLS_DIR"
  stack_cert_issue "$TLS_DIR" kafka
  # Kafka reads a PEM keystore: the private key and the certificate chain in one file.
  (umask 077; cat "$TLS_DIR/kafka.key" "$TLS_DIR/kafka.crt" "$TLS_DIR/ca.crt" >"$TLS_DIR/kafka-keystore.pem")
  (umask 077; cat >"$SECRETS_DIR/kafka-admin.properties" <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(kafka_password admin)";
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.crt
PROPS
  )
}

kafka_password() { cat "$SECRETS_DIR/kafka-$1.password"; }

# kafka-storage format arguments creating every user's SCRAM credential in the first
# metadata records, so the broker never runs a moment without them.
scram_format_args() {
  local user
  for user in "${KAFKA_USERS[@]}"; do
    printf -- '--add-scram\nSCRAM-SHA-512=[name=%s,password=%s]\n' "$user" "$(kafka_password "$user")"
  done
}

# Listener part of server.properties. One SASL_SSL listener serves clients and the
# inter-broker traffic: with a single broker there is no second broker to talk to, and the
# broker's own clients (e.g. transaction markers) log in as admin, a super user. The
# controller listener stays PLAINTEXT on loopback: KRaft controllers cannot check SCRAM
# (the credentials live in the metadata log they serve), so nothing but this host reaches
# it, and the authorizer lets its ANONYMOUS peer, the broker half of this node, act.
kafka_security_config() { # node
  local port cport
  port="$(node_port "$1")"
  cport="$(node_controller_port "$1")"
  cat <<PROPS
listeners=SASL_SSL://$BIND_HOST:$port,CONTROLLER://$BIND_HOST:$cport
advertised.listeners=SASL_SSL://$BIND_HOST:$port
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(kafka_password admin)";
ssl.keystore.type=PEM
ssl.keystore.location=$TLS_DIR/kafka-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.crt
ssl.client.auth=none
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:ANONYMOUS
allow.everyone.if.no.acl.found=false
PROPS
}

# The services' ACLs, from the chains' topic declaration (node dist/pipeline/admin/main.js
# acls, one kafka-acls argument line each), all in one JVM (lib/AddAcls.java): one
# kafka-acls run per line cost a JVM start each. Adding is idempotent, so every `up`
# re-applies them. A namespace (STREAMDEX_NAMESPACE) gets the same plan under its prefix.
apply_kafka_acls() { # [namespace]
  local plan lines n ns="${1:-}"
  plan="$REPO_ROOT/dist/pipeline/admin/main.js"
  [ -f "$plan" ] || { stack_log "STACK_SECURITY=on derives the ACLs from the built chains: run npm run build first ($plan is missing)"; return 1; }
  command -v node >/dev/null 2>&1 || { stack_log "STACK_SECURITY=on needs node on PATH to derive the ACLs (source scripts/node-env.sh)"; return 1; }
  lines="$(env -u CHAINS STREAMDEX_NAMESPACE="$ns" node "$plan" acls)" || { stack_log "could not derive the ACLs ($plan acls)"; return 1; }
  n="$(grep -c . <<<"$lines")"
  # The source launcher compiles AddAcls.java in memory: it needs a JDK, which Maven needs too.
  "$(kafka_java)" -Xmx256m -Dlog4j2.configurationFile="$STACK_DIR/config/tools-log4j2.xml" -cp "$KAFKA_LIBS/*" \
    "$STACK_DIR/lib/AddAcls.java" "$(bootstrap_servers)" "$SECRETS_DIR/kafka-admin.properties" <<<"$lines" >>"$LOG_DIR/kafka-acls.out" 2>&1 \
    || { stack_log "adding the ACLs failed; see $LOG_DIR/kafka-acls.out"; return 1; }
  stack_log "kafka: $n ACL sets applied${ns:+ for namespace $ns} (stack/bin/kafka-acls --bootstrap-server $(bootstrap_servers) --command-config $SECRETS_DIR/kafka-admin.properties --list)"
}
