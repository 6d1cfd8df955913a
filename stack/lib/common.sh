# shellcheck shell=bash
# Shared by stack/stack and the Kafka tool wrappers in stack/bin: where things live, which
# Java runs what, and fetching the servers from Maven Central. Sourced, never executed.

STACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
# shellcheck disable=SC2034 # used by stack/stack
REPO_ROOT="$(dirname "$STACK_DIR")"

# Versions live in one place, stack/pom.xml, which is also what Maven fetches.
_pom_property() {
  sed -n "s:.*<$1>\\([^<]*\\)</$1>.*:\\1:p" "$STACK_DIR/pom.xml" | head -n 1
}
KAFKA_VERSION="$(_pom_property kafka.version)"
OPENSEARCH_VERSION="$(_pom_property opensearch.version)"

# Fetched servers are shared by every instance (STACK_HOME), so they live apart from it and
# `stack reset` never has to download 200 MB again.
STACK_ARTIFACTS="${STACK_ARTIFACTS:-$STACK_DIR/artifacts}"
KAFKA_DIST="$STACK_ARTIFACTS/kafka-$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_DIST/libs"
OPENSEARCH_DIST="$STACK_ARTIFACTS/opensearch-$OPENSEARCH_VERSION"

stack_log() { printf 'stack: %s\n' "$*" >&2; }
stack_die() { printf 'stack: error: %s\n' "$*" >&2; exit 1; }

# Major version of a java binary ("17.0.15" -> 17, "1.8.0_392" -> 8), or failure.
java_major() {
  local out ver
  out="$("$1" -version 2>&1)" || return 1
  ver="$(sed -n '1s/^[^"]*"\([^"]*\)".*/\1/p' <<<"$out")"
  case "$ver" in 1.*) ver="${ver#1.}" ;; esac
  ver="${ver%%[!0-9]*}"
  [ -n "$ver" ] || return 1
  printf '%s\n' "$ver"
}

# Candidate JDK homes in order of preference: JAVA_HOME, the java on PATH, then every JDK
# Debian-style installs keep in /usr/lib/jvm (where the Temurin JDK of this machine kind is).
_java_home_candidates() {
  local java_on_path
  [ -n "${JAVA_HOME:-}" ] && printf '%s\n' "$JAVA_HOME"
  if java_on_path="$(command -v java 2>/dev/null)"; then
    dirname "$(dirname "$(readlink -f "$java_on_path")")"
  fi
  local d
  for d in /usr/lib/jvm/*/; do
    [ -x "${d}bin/java" ] && printf '%s\n' "${d%/}"
  done
  return 0
}

# Prints the java binary for Kafka (brokers and tools): Java 17 or newer.
kafka_java() {
  local home v
  if [ -n "${KAFKA_JAVA_HOME:-}" ]; then
    [ -x "$KAFKA_JAVA_HOME/bin/java" ] || stack_die "KAFKA_JAVA_HOME=$KAFKA_JAVA_HOME has no bin/java"
    v="$(java_major "$KAFKA_JAVA_HOME/bin/java")" || stack_die "cannot run $KAFKA_JAVA_HOME/bin/java -version"
    [ "$v" -ge 17 ] || stack_die "KAFKA_JAVA_HOME=$KAFKA_JAVA_HOME is Java $v; Kafka $KAFKA_VERSION needs Java 17 or newer"
    printf '%s\n' "$KAFKA_JAVA_HOME/bin/java"
    return
  fi
  while IFS= read -r home; do
    v="$(java_major "$home/bin/java" 2>/dev/null)" || continue
    if [ "$v" -ge 17 ]; then
      printf '%s\n' "$home/bin/java"
      return
    fi
  done < <(_java_home_candidates)
  stack_die "Kafka $KAFKA_VERSION needs Java 17 or newer and none was found (JAVA_HOME, java on PATH, /usr/lib/jvm/*). Install one (apt-get install openjdk-17-jre-headless) or set KAFKA_JAVA_HOME."
}

# Prints the JDK home for OpenSearch: Java 21 or newer (OpenSearch 3 refuses older ones).
# An explicitly named JDK must qualify; otherwise the newest found is used.
opensearch_java_home() {
  local var home v best="" best_v=0
  for var in OPENSEARCH_JAVA_HOME JAVA21_HOME; do
    home="${!var:-}"
    [ -n "$home" ] || continue
    [ -x "$home/bin/java" ] || stack_die "$var=$home has no bin/java"
    v="$(java_major "$home/bin/java")" || stack_die "cannot run $home/bin/java -version ($var)"
    [ "$v" -ge 21 ] || stack_die "$var=$home is Java $v; OpenSearch $OPENSEARCH_VERSION needs Java 21 or newer"
    printf '%s\n' "$home"
    return
  done
  while IFS= read -r home; do
    v="$(java_major "$home/bin/java" 2>/dev/null)" || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then
      best="$home"
      best_v="$v"
    fi
  done < <(_java_home_candidates)
  [ -n "$best" ] || stack_die "OpenSearch $OPENSEARCH_VERSION needs Java 21 or newer and none was found (OPENSEARCH_JAVA_HOME, JAVA21_HOME, JAVA_HOME, java on PATH, /usr/lib/jvm/*). Install a JDK 21+ (e.g. Temurin) and set OPENSEARCH_JAVA_HOME."
  printf '%s\n' "$best"
}

# Runs one execution of stack/pom.xml into a scratch folder and moves the result into place
# only when Maven succeeded, so an interrupted download never looks like a complete install.
_fetch_one() { # execution-id produced-dir-name
  local execution="$1" name="$2" scratch mvn_log
  command -v mvn >/dev/null 2>&1 || stack_die "Maven (mvn) is needed to fetch $name from Maven Central; install it (apt-get install maven)"
  scratch="$(mktemp -d "$STACK_ARTIFACTS/.fetch-$name.XXXXXX")"
  mvn_log="$STACK_ARTIFACTS/fetch-$name.log"
  stack_log "fetching $name with Maven (log: $mvn_log) ..."
  # STACK_MVN_ARGS lets a caller add e.g. -o (offline, from ~/.m2) or a settings file.
  # shellcheck disable=SC2086
  if ! mvn -B -Dstyle.color=never ${STACK_MVN_ARGS:-} -f "$STACK_DIR/pom.xml" \
      "dependency:$execution" -Dstack.artifacts="$scratch" >"$mvn_log" 2>&1; then
    tail -n 30 "$mvn_log" >&2
    rm -rf "$scratch"
    stack_die "Maven could not fetch $name; see $mvn_log"
  fi
  [ -d "$scratch/$name" ] || stack_die "Maven finished but $scratch/$name is missing; see $mvn_log"
  rm -rf "${STACK_ARTIFACTS:?}/$name"
  mv "$scratch/$name" "$STACK_ARTIFACTS/$name"
  rm -rf "$scratch"
}

kafka_artifacts_present() { [ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] && [ -f "$KAFKA_LIBS/kafka-tools-$KAFKA_VERSION.jar" ]; }
opensearch_artifacts_present() { [ -f "$OPENSEARCH_DIST/lib/opensearch-$OPENSEARCH_VERSION.jar" ] && [ -x "$OPENSEARCH_DIST/bin/opensearch" ]; }

# Fetches whatever is missing. A lock keeps two concurrent callers (say, two tool wrappers
# started at once on a fresh checkout) from writing the same folder.
ensure_artifacts() { # [kafka] [opensearch]; both when none given
  local want=("$@")
  [ ${#want[@]} -gt 0 ] || want=(kafka opensearch)
  mkdir -p "$STACK_ARTIFACTS"
  (
    flock -w 900 8 || stack_die "timed out waiting for another fetch (lock $STACK_ARTIFACTS/.lock)"
    local w
    for w in "${want[@]}"; do
      case "$w" in
        kafka) kafka_artifacts_present || _fetch_one copy-dependencies@kafka-libs "kafka-$KAFKA_VERSION" ;;
        opensearch) opensearch_artifacts_present || _fetch_one unpack@opensearch-dist "opensearch-$OPENSEARCH_VERSION" ;;
      esac
    done
  ) 8>"$STACK_ARTIFACTS/.lock"
}
