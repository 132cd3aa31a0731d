#!/usr/bin/env bash
# Detection evaluation: Bulwark's request inspector and, as a baseline, ModSecurity v3 with the OWASP CRS (Debian
# packages, behind a private nginx on loopback) over the shared corpora. See eval/README.md.
#
#   eval/run.sh                       full run (both engines; ModSecurity at paranoia levels 1 and 2)
#   eval/run.sh --quick               every 20th http-params row: checks the set-up in a minute or two
#   eval/run.sh --corpora DIR         corpora elsewhere than ../shared/corpora (relative to the repository root)
#   eval/run.sh --no-install          never call apt-get; ModSecurity is skipped when it is not installed
#   eval/run.sh -- ARGS...            passes ARGS to io.bulwark.eval.Evaluate (see --help there)
set -Eeuo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

die() { echo "eval/run.sh: $*" >&2; exit 1; }
note() { echo "[eval] $*" >&2; }

usage() {
    sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    cat <<'EOT'

environment:
  EVAL_JAVA_OPTS   JVM options [-Xmx1g]
  EVAL_NO_BUILD    1 to run eval/target/bulwark-eval.jar as it is [0]
EOT
}

corpora="$root/../shared/corpora" install=1 quick=0 extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --corpora) [ $# -ge 2 ] || die "--corpora needs a directory"; corpora="$2"; shift ;;
        --quick) quick=1 ;;
        --no-install) install=0 ;;
        -h | --help) usage; exit 0 ;;
        --) shift; extra+=("$@"); break ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ -d "$corpora/crs-regression" ] || die "no corpora at $corpora (use --corpora DIR)"
corpora="$(cd "$corpora" && pwd)"

# ---------------------------------------------------------------------------------------------------------------
# JDK >= 21: the same search as bench/run.sh and the launcher (scripts/find-jdk.sh)

# shellcheck source=../scripts/find-jdk.sh
. "$root/scripts/find-jdk.sh"

JDK="$(find_jdk || true)"
[ -n "$JDK" ] || die "no JDK >= 21 found (JAVA_HOME, java on PATH, /usr/lib/jvm). Install one, e.g. openjdk-21-jdk."
export JAVA_HOME="$JDK"

# ---------------------------------------------------------------------------------------------------------------
# ModSecurity + CRS (Debian packages); installing them must not start the system's nginx

policy_rc_created=0
child=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    # The evaluator stops its nginx itself (also from a shutdown hook); make sure it is gone, by its own id.
    if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
        kill -TERM "$child" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$child" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$child" 2>/dev/null || true
    fi
    if [ "$policy_rc_created" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

have_modsec() {
    [ -f /usr/share/nginx/modules/ngx_http_modsecurity_module.so ] && [ -f /etc/modsecurity/crs/crs-setup.conf ] \
        && command -v nginx >/dev/null 2>&1
}

if ! have_modsec && [ "$install" = 1 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        note "installing libnginx-mod-http-modsecurity and modsecurity-crs"
        if [ ! -e /usr/sbin/policy-rc.d ]; then
            printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
            chmod +x /usr/sbin/policy-rc.d
            policy_rc_created=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || note "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q libnginx-mod-http-modsecurity modsecurity-crs >&2 \
            || note "apt-get install failed: ModSecurity will be skipped"
    else
        note "ModSecurity is not installed and this is not a root Debian shell: it will be skipped"
    fi
fi

# ---------------------------------------------------------------------------------------------------------------
# Build (when sources changed) and run

jar="$here/target/bulwark-eval.jar"
if [ "${EVAL_NO_BUILD:-0}" != 1 ]; then
    newer=""
    if [ -f "$jar" ]; then
        newer="$(find "$here/src/main" "$here/pom.xml" "$root/bulwark-inspect/src/main" "$root/bulwark-inspect/pom.xml" \
            "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null || true)"
    fi
    if [ ! -f "$jar" ] || [ -n "$newer" ]; then
        note "building eval (mvn -o package -pl eval -am -DskipTests)"
        (cd "$root" && mvn -q -B -o package -pl eval -am -DskipTests) >&2 || die "build failed"
    fi
fi
[ -f "$jar" ] || die "$jar missing (build with: mvn -B -o package -pl eval -am -DskipTests)"

args=(--corpora "$corpora" --out "$here/out")
[ "$quick" = 1 ] && args+=(--params-every 20)
have_modsec || args+=(--no-modsec)
mkdir -p "$here/out"
log="$here/out/run-$(date -u +%Y%m%d-%H%M%S).txt"
note "running; the tables also go to $log"
cd "$root"
# shellcheck disable=SC2086 # EVAL_JAVA_OPTS is a list of options
"$JDK/bin/java" ${EVAL_JAVA_OPTS:--Xmx1g} -jar "$jar" "${args[@]}" "${extra[@]}" > >(tee "$log") &
child=$!
wait "$child"
