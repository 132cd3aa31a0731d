#!/usr/bin/env bash
# Side-by-side load benchmark: an nginx upstream, nginx as a reverse proxy, and Bulwark (no policies, and every
# built-in policy) in front of the same upstream, on loopback, one at a time. See bench/README.md.
#
#   bench/run.sh            full run (about 5-8 minutes with the defaults)
#   bench/run.sh --smoke    a few seconds per step: checks that the script works; its figures mean nothing
#   bench/run.sh --jmh      also build and run the JMH microbenchmarks afterwards
#   bench/run.sh --jmh-only only the JMH microbenchmarks
#   bench/run.sh --help     options and environment variables
set -Eeuo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

usage() {
    cat <<'EOF'
usage: bench/run.sh [--smoke] [--jmh | --jmh-only] [--no-install]

  --smoke       short durations (seconds): checks the set-up, produces no usable figures
  --jmh         after the load benchmark, build and run the JMH microbenchmarks (bench/jmh)
  --jmh-only    only the JMH microbenchmarks
  --no-install  never call apt-get; fail when a tool is missing

environment (defaults in brackets):
  BENCH_DURATION          wrk measurement per scenario [20s]
  BENCH_WARMUP            shortest wrk warm-up before each measurement, every scenario [15s]
  BENCH_WARMUP_MAX        longest warm-up: it goes on in BENCH_WARMUP_STEP steps until two steps agree
                          within BENCH_WARMUP_TOLERANCE percent (a JIT on one CPU takes a while) [120s]
  BENCH_WARMUP_STEP       [5s]
  BENCH_WARMUP_TOLERANCE  [3]
  BENCH_CONNECTIONS       wrk connections [50]
  BENCH_THREADS           wrk threads [number of load CPUs]
  BENCH_RATE              fixed request rate of the latency runs, req/s [BENCH_RATE_FRACTION x (b) req/s]
  BENCH_RATE_FRACTION     fraction of nginx-proxy saturation used for the latency runs [0.5]
  BENCH_RATE_DURATION     h2load measurement per scenario [30s]
  BENCH_RATE_WARMUP       h2load warm-up before each measurement [5s]
  BENCH_RATE_CONNECTIONS  h2load connections, the rate is split evenly among them [50]
  BENCH_PATH              request path [/v1/users/42]
  BENCH_ORIGIN            Origin header sent with every request, empty for none [https://app.example.com]
  BENCH_PIN               1 to pin processes to CPUs with taskset, 0 not to [1 when nproc >= 2]
  BENCH_PROXY_CPUS        CPUs of the proxy under test (b, c, d) [0]
  BENCH_UPSTREAM_CPUS     CPUs of the upstream nginx (a) [1]
  BENCH_LOAD_CPUS         CPUs of wrk and h2load [1 on 2 CPUs, 2 on 3, 2-3 on 4 or more]
  BENCH_JAVA_OPTS         JVM options of Bulwark [the launcher's defaults];
                          -XX:ActiveProcessorCount=<number of proxy CPUs> is always added
  BULWARK_JAR             run this jar as it is (skips the launcher, which rebuilds when sources changed)
  BENCH_OUT               output directory [bench/out]
  BENCH_JMH_ARGS          JMH arguments [-f 1 -wi 3 -i 5]
  BENCH_JMH_NO_BUILD      1 to run bench/jmh/target/benchmarks.jar without rebuilding it [0]
EOF
}

smoke=0 jmh=0 load=1 install=1
for arg in "$@"; do
    case "$arg" in
        --smoke) smoke=1 ;;
        --jmh) jmh=1 ;;
        --jmh-only) jmh=1 load=0 ;;
        --no-install) install=0 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument $arg" >&2; usage >&2; exit 2 ;;
    esac
done

if [ "$smoke" = 1 ]; then
    : "${BENCH_DURATION:=3s}" "${BENCH_WARMUP:=2s}" "${BENCH_RATE_DURATION:=3s}" "${BENCH_RATE_WARMUP:=1s}"
    : "${BENCH_WARMUP_MAX:=4s}" "${BENCH_WARMUP_STEP:=2s}"
    : "${BENCH_JMH_ARGS:=-f 1 -wi 0 -i 1 -r 200ms}"
fi
BENCH_DURATION="${BENCH_DURATION:-20s}"
BENCH_WARMUP="${BENCH_WARMUP:-15s}"
BENCH_WARMUP_MAX="${BENCH_WARMUP_MAX:-120s}"
BENCH_WARMUP_STEP="${BENCH_WARMUP_STEP:-5s}"
BENCH_WARMUP_TOLERANCE="${BENCH_WARMUP_TOLERANCE:-3}"
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-50}"
BENCH_RATE_FRACTION="${BENCH_RATE_FRACTION:-0.5}"
BENCH_RATE_DURATION="${BENCH_RATE_DURATION:-30s}"
BENCH_RATE_WARMUP="${BENCH_RATE_WARMUP:-5s}"
BENCH_RATE_CONNECTIONS="${BENCH_RATE_CONNECTIONS:-50}"
BENCH_PATH="${BENCH_PATH:-/v1/users/42}"
BENCH_ORIGIN="${BENCH_ORIGIN-https://app.example.com}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx1g -Dio.netty.noUnsafe=false --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED}"
BENCH_OUT="${BENCH_OUT:-$here/out}"
BENCH_JMH_ARGS="${BENCH_JMH_ARGS:--f 1 -wi 3 -i 5}"

BODY='{"id":1,"name":"Alice","email":"alice@example.com"}'

die() {
    echo "run.sh: $*" >&2
    exit 1
}
note() { echo "== $*" >&2; }

# Durations: "20", "20s", "2m" -> whole seconds.
secs() {
    local v="$1"
    case "$v" in
        *ms) die "duration $v: use whole seconds (20s) or minutes (2m)" ;;
        *m) echo $((${v%m} * 60)) ;;
        *s) echo "${v%s}" ;;
        *) echo "$v" ;;
    esac
}
dur=$(secs "$BENCH_DURATION") warm=$(secs "$BENCH_WARMUP")
warm_max=$(secs "$BENCH_WARMUP_MAX") warm_step=$(secs "$BENCH_WARMUP_STEP")
rate_dur=$(secs "$BENCH_RATE_DURATION") rate_warm=$(secs "$BENCH_RATE_WARMUP")
for n in "$dur" "$warm" "$warm_max" "$warm_step" "$BENCH_WARMUP_TOLERANCE" "$rate_dur" "$rate_warm" \
    "$BENCH_CONNECTIONS" "$BENCH_RATE_CONNECTIONS"; do
    [[ "$n" =~ ^[0-9]+$ ]] || die "not a whole number: $n (check the BENCH_* variables)"
done
if [ "$dur" -eq 0 ] || [ "$rate_dur" -eq 0 ] || [ "$warm_step" -eq 0 ]; then
    die "BENCH_DURATION, BENCH_RATE_DURATION and BENCH_WARMUP_STEP must be > 0"
fi
[ "$warm_max" -ge "$warm" ] || warm_max="$warm"

# ---------------------------------------------------------------------------------------------------------------
# JDK >= 21: the same search as the launcher (./bulwark)

# shellcheck source=../scripts/find-jdk.sh
. "$root/scripts/find-jdk.sh"

JDK="$(find_jdk || true)"
[ -n "$JDK" ] || die "no JDK >= 21 found (JAVA_HOME, java on PATH, /usr/lib/jvm). Install one, e.g. openjdk-21-jdk."
export JAVA_HOME="$JDK"

# ---------------------------------------------------------------------------------------------------------------
# Processes we start, stopped on any exit

pids=()
load_pid=""
policy_rc_created=0

# run_load OUT CMD...: runs a load generator in the background and waits for it, so that a signal reaches the
# cleanup at once instead of after the load's duration.
run_load() {
    local f="$1" rc=0
    shift
    "$@" >"$f" 2>&1 &
    load_pid=$!
    wait "$load_pid" || rc=$?
    load_pid=""
    return "$rc"
}

descendants() { # all descendants of a pid (nginx workers), deepest last
    local p c
    for p in "$@"; do
        for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do
            echo "$c"
            descendants "$c"
        done
    done
}

stop_pid() {
    local pid="$1" kids i
    kill -0 "$pid" 2>/dev/null || return 0
    kids="$(descendants "$pid" | tr '\n' ' ')"
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    # Workers of a killed nginx master would keep serving: stop them too, by their own ids.
    for i in $kids; do kill -KILL "$i" 2>/dev/null || true; done
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$? p
    trap - EXIT INT TERM
    if [ -n "$load_pid" ]; then kill -TERM "$load_pid" 2>/dev/null || true; fi
    for p in "${pids[@]}"; do stop_pid "$p"; done
    if [ "$policy_rc_created" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------------------------
# Tools, from Debian packages when missing

ensure_tools() {
    local missing=() pkgs=()
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
    command -v h2load >/dev/null 2>&1 || missing+=(h2load)
    command -v taskset >/dev/null 2>&1 || missing+=(taskset)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    [ ${#missing[@]} -eq 0 ] && return 0
    local t
    for t in "${missing[@]}"; do
        case "$t" in
            nginx) pkgs+=(nginx) ;; # nginx-light is only a transitional package since Debian 12
            wrk) pkgs+=(wrk) ;;
            h2load) pkgs+=(nghttp2-client) ;;
            taskset) pkgs+=(util-linux) ;;
            curl) pkgs+=(curl) ;;
        esac
    done
    if [ "$install" = 0 ] || [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        die "missing: ${missing[*]}. Install them: apt-get install -y ${pkgs[*]}"
    fi
    note "installing ${pkgs[*]} from Debian"
    # Keep Debian's maintainer scripts from starting a system nginx on port 80.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        policy_rc_created=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}" >&2
    if [ "$policy_rc_created" = 1 ]; then rm -f /usr/sbin/policy-rc.d; policy_rc_created=0; fi
}

NGINX="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"

# ---------------------------------------------------------------------------------------------------------------
# Output

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BENCH_OUT"
suffix=""
[ "$smoke" = 1 ] && suffix="-smoke"
results="$BENCH_OUT/results-$stamp$suffix.txt"
work="$BENCH_OUT/run-$stamp$suffix"
mkdir -p "$work"
: >"$results"

out() { printf '%s\n' "$*" | tee -a "$results"; }

# ---------------------------------------------------------------------------------------------------------------
# JMH

run_jmh() {
    local jar="$root/bench/jmh/target/benchmarks.jar"
    if [ "${BENCH_JMH_NO_BUILD:-0}" != 1 ]; then
        command -v mvn >/dev/null 2>&1 || die "Maven is needed to build the JMH benchmarks (apt-get install maven)"
        note "building bench/jmh (mvn -q -B -pl bench/jmh -am package -DskipTests)"
        (cd "$root" && mvn -q -B -pl bench/jmh -am package -DskipTests) >&2
    fi
    [ -f "$jar" ] || die "$jar is missing: mvn -q -B -pl bench/jmh -am package -DskipTests"
    out ""
    out "JMH microbenchmarks: $JDK/bin/java -jar bench/jmh/target/benchmarks.jar $BENCH_JMH_ARGS" \
        "-rf json -rff $work/jmh.json"
    out "(not pinned; average time per operation, lower is better)"
    # shellcheck disable=SC2086 # BENCH_JMH_ARGS is a list of arguments
    "$JDK/bin/java" -jar "$jar" $BENCH_JMH_ARGS -rf json -rff "$work/jmh.json" >"$work/jmh.txt" 2>&1 \
        || { tail -40 "$work/jmh.txt" >&2; die "JMH failed, see $work/jmh.txt"; }
    awk '/^Benchmark /{p=1} p' "$work/jmh.txt" | tee -a "$results"
}

if [ "$load" = 0 ]; then
    [ "$smoke" = 1 ] && out "SMOKE RUN: checks that the benchmarks run; the figures below mean nothing."
    out "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')   JDK: $("$JDK/bin/java" -version 2>&1 | head -1)"
    run_jmh
    out ""
    out "written to $results"
    exit 0
fi

ensure_tools

# ---------------------------------------------------------------------------------------------------------------
# CPU pinning

ncpu="$(nproc)"
expand_cpus() { # "0,2-3" -> "0 2 3"
    local part a b
    for part in ${1//,/ }; do
        if [[ "$part" == *-* ]]; then
            a="${part%-*}" b="${part#*-}"
            seq "$a" "$b"
        else
            echo "$part"
        fi
    done | tr '\n' ' '
}
count_cpus() { local n=0 c; for c in $(expand_cpus "$1"); do n=$((n + 1)); done; echo "$n"; }

if [ -z "${BENCH_PIN:-}" ]; then
    if [ "$ncpu" -ge 2 ]; then BENCH_PIN=1; else BENCH_PIN=0; fi
fi
if [ "$BENCH_PIN" = 1 ]; then
    PROXY_CPUS="${BENCH_PROXY_CPUS:-0}"
    UPSTREAM_CPUS="${BENCH_UPSTREAM_CPUS:-1}"
    if [ "$ncpu" -ge 4 ]; then LOAD_CPUS="${BENCH_LOAD_CPUS:-2-3}"
    elif [ "$ncpu" -eq 3 ]; then LOAD_CPUS="${BENCH_LOAD_CPUS:-2}"
    else LOAD_CPUS="${BENCH_LOAD_CPUS:-1}"; fi
    for c in $(expand_cpus "$PROXY_CPUS") $(expand_cpus "$UPSTREAM_CPUS") $(expand_cpus "$LOAD_CPUS"); do
        [ "$c" -lt "$ncpu" ] || die "CPU $c does not exist (nproc = $ncpu)"
    done
    proxy_n="$(count_cpus "$PROXY_CPUS")"
    load_n="$(count_cpus "$LOAD_CPUS")"
else
    PROXY_CPUS="all" UPSTREAM_CPUS="all" LOAD_CPUS="all"
    proxy_n="$ncpu" load_n=1
fi
# pin CPUS: sets PIN to the command prefix that runs a command on CPUS (empty when not pinning).
pin() {
    if [ "$BENCH_PIN" = 1 ]; then PIN=(taskset -c "$1"); else PIN=(); fi
}
PIN=()
BENCH_THREADS="${BENCH_THREADS:-$load_n}"

# Busy and total jiffies summed over a CPU list, from /proc/stat (softirq included: loopback TCP is kernel work).
cpu_jiffies() {
    local cpus="$1" sel
    if [ "$cpus" = all ]; then sel="cpu"; else sel="$(expand_cpus "$cpus" | sed 's/\([0-9][0-9]*\)/cpu\1/g')"; fi
    awk -v sel=" $sel " '
        index(sel, " " $1 " ") { idle += $5 + $6; for (i = 2; i <= 9; i++) total += $i }
        END { printf "%d %d\n", total - idle, total }' /proc/stat
}
# Percent busy between two cpu_jiffies snapshots.
cpu_busy() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        split(a, x, " "); split(b, y, " ");
        t = y[2] - x[2]; if (t <= 0) { print "?"; exit } printf "%.0f", 100 * (y[1] - x[1]) / t }'
}
# CPU time (jiffies) of a process and its descendants (nginx master and workers, all JVM threads).
proc_jiffies() {
    local total=0 p f
    for p in "$1" $(descendants "$1"); do
        f="$(sed 's/^.*) //' /proc/"$p"/stat 2>/dev/null)" || continue
        [ -n "$f" ] || continue
        total=$((total + $(echo "$f" | awk '{print $12 + $13}')))
    done
    echo "$total"
}
hz="$(getconf CLK_TCK)"
# CPU jiffies used between two `date +%s%N` stamps, in percent of one CPU.
busy_pct() {
    awk -v d="$1" -v hz="$hz" -v t0="$2" -v t1="$3" 'BEGIN {
        t = (t1 - t0) / 1e9; if (t <= 0) { print "?"; exit } printf "%.0f", 100 * d / hz / t }'
}

# ---------------------------------------------------------------------------------------------------------------
# Ports and configs

used_ports=" "
free_port() {
    local p i
    for i in $(seq 1 200); do
        # Below the usual ephemeral range (32768+) so that no outgoing connection holds the port.
        p=$((20000 + RANDOM % 12000))
        case "$used_ports" in *" $p "*) continue ;; esac
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            used_ports+="$p "
            echo "$p"
            return 0
        fi
    done
    die "no free port found"
}
port_a="$(free_port)" port_b="$(free_port)" port_c="$(free_port)" port_d="$(free_port)"

mkdir -p "$work/nginx-tmp"

cat >"$work/a-upstream.conf" <<EOF
# (a) upstream: a fixed JSON answer, keep-alive, no access log
worker_processes 1;
pid $work/a-upstream.pid;
error_log $work/a-upstream-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx-tmp/a-body;
    proxy_temp_path $work/nginx-tmp/a-proxy;
    fastcgi_temp_path $work/nginx-tmp/a-fastcgi;
    uwsgi_temp_path $work/nginx-tmp/a-uwsgi;
    scgi_temp_path $work/nginx-tmp/a-scgi;
    keepalive_timeout 65s;
    # nginx closes a keep-alive connection after 1000 requests by default: that would measure reconnects.
    keepalive_requests 100000000;
    server {
        listen 127.0.0.1:$port_a;
        location / {
            default_type application/json;
            return 200 '$BODY';
        }
    }
}
EOF

cat >"$work/b-nginx-proxy.conf" <<EOF
# (b) nginx as a plain reverse proxy to (a); as many workers as Bulwark gets event loops
worker_processes $proxy_n;
pid $work/b-nginx-proxy.pid;
error_log $work/b-nginx-proxy-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx-tmp/b-body;
    proxy_temp_path $work/nginx-tmp/b-proxy;
    fastcgi_temp_path $work/nginx-tmp/b-fastcgi;
    uwsgi_temp_path $work/nginx-tmp/b-uwsgi;
    scgi_temp_path $work/nginx-tmp/b-scgi;
    keepalive_timeout 65s;
    keepalive_requests 100000000;
    upstream origin {
        server 127.0.0.1:$port_a;
        keepalive 64;
        keepalive_requests 100000000;
    }
    server {
        listen 127.0.0.1:$port_b;
        location / {
            proxy_pass http://origin;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF

bulwark_config() { # $1 = port, $2 = policy list file or empty
    cat <<EOF
# Generated by bench/run.sh
listeners:
  - name: http
    protocol: http
    host: 127.0.0.1
    port: $1
admin:
  enabled: false
access_log:
  enabled: false
drain_timeout: 1s
upstreams:
  origin:
    targets: [http://127.0.0.1:$port_a]
    max_connections_per_target: 64
routes:
  - id: bench
    path: /
    upstream: origin
EOF
    if [ -z "$2" ]; then
        echo "    public: true"
    else
        echo "    openapi: openapi.yaml"
        echo "    policies:"
        grep -v -E '^[[:space:]]*(#|$)' "$2" | sed 's/^/      /'
    fi
}
bulwark_config "$port_c" "" >"$work/c-bulwark-no-policies.yaml"
bulwark_config "$port_d" "$here/policies-all.yaml" >"$work/d-bulwark-all-policies.yaml"
cp "$here/openapi.yaml" "$work/openapi.yaml"

# Policies registered in the code base but missing from policies-all.yaml (a guess from the factory class names).
configured_policies="$(grep -o -E '^- *[a-z0-9-]+' "$here/policies-all.yaml" | sed 's/^- *//' | tr '\n' ' ')"
unconfigured=""
for f in "$root"/*/src/main/resources/META-INF/services/io.bulwark.api.PolicyFactory; do
    [ -f "$f" ] || continue
    for cls in $(grep -v -E '^[[:space:]]*(#|$)' "$f"); do
        name="$(echo "${cls##*.}" | sed -e 's/PolicyFactory$//' -e 's/\([a-z0-9]\)\([A-Z]\)/\1-\2/g' | tr '[:upper:]' '[:lower:]')"
        case " $configured_policies " in *" $name "*) ;; *) unconfigured+="$name ($cls) " ;; esac
    done
done

# ---------------------------------------------------------------------------------------------------------------
# Bulwark jar, built by the launcher when needed, and config validation

if [ -n "${BULWARK_JAR:-}" ]; then
    jar="$BULWARK_JAR"
    [ -f "$jar" ] || die "BULWARK_JAR=$jar does not exist"
    bulwark_check() { "$JDK/bin/java" -jar "$jar" check --config "$1"; }
else
    jar="$root/bulwark-cli/target/bulwark.jar"
    # The launcher rebuilds the jar when sources are newer (about a minute) and validates.
    bulwark_check() { "$root/bulwark" check --config "$1"; }
fi
# Scenario (d) authenticates every request with the jwt policy: a key pair and one token for the whole run. Every
# scenario sends the same Authorization header, so all of them carry the same bytes.
bulwark_cli() {
    if [ -n "${BULWARK_JAR:-}" ]; then "$JDK/bin/java" -jar "$jar" "$@"; else "$root/bulwark" "$@"; fi
}
note "generating a signing key and a token for the jwt policy"
bulwark_cli keys generate --alg ES256 --kid bench --out "$work/keys" >"$work/keys.log" 2>&1 \
    || die "bulwark keys generate failed: $(cat "$work/keys.log")"
TOKEN="$(bulwark_cli token --key "$work/keys/bench.private.jwk.json" --sub bench-user --scope "bench:read" \
    --ttl 1d --auth-time now --iss https://bench.bulwark.local --aud bench 2>"$work/token.log")" \
    || die "bulwark token failed: $(cat "$work/token.log")"

note "validating the Bulwark configs"
for cfg in "$work/c-bulwark-no-policies.yaml" "$work/d-bulwark-all-policies.yaml"; do
    if ! bulwark_check "$cfg" >"$cfg.check" 2>&1; then
        cat "$cfg.check" >&2
        die "invalid config $cfg"
    fi
done
[ -f "$jar" ] || die "$jar is missing"

java_opts="$BENCH_JAVA_OPTS -XX:ActiveProcessorCount=$proxy_n"

# ---------------------------------------------------------------------------------------------------------------
# Starting, checking and stopping the servers

declare -A PID
start_nginx() { # name conf cpus
    pin "$3"
    "${PIN[@]}" "$NGINX" -e "$work/$1-error.log" -p "$work" -c "$2" -g 'daemon off;' \
        >"$work/$1.out" 2>&1 &
    PID[$1]=$!
    pids+=($!)
}
start_bulwark() { # name conf cpus
    pin "$3"
    # shellcheck disable=SC2086 # java_opts is a list of options
    "${PIN[@]}" "$JDK/bin/java" $java_opts "-Xlog:gc:file=$work/$1-gc.log" -jar "$jar" serve --config "$2" \
        >"$work/$1.log" 2>&1 &
    PID[$1]=$!
    pids+=($!)
}
stop() { stop_pid "${PID[$1]}"; }

curl_args=(-s --max-time 5 -H "Authorization: Bearer $TOKEN")
[ -n "$BENCH_ORIGIN" ] && curl_args+=(-H "Origin: $BENCH_ORIGIN")

wait_ready() { # name url
    local i code
    for i in $(seq 1 600); do
        if ! kill -0 "${PID[$1]}" 2>/dev/null; then
            tail -30 "$work/$1"* >&2 || true
            die "$1 exited during start-up (logs in $work)"
        fi
        code="$(curl -s -H "Authorization: Bearer $TOKEN" -o /dev/null -w '%{http_code}' --max-time 1 "$2" || true)"
        [ "$code" = 200 ] && return 0
        sleep 0.1
    done
    die "$1 did not answer 200 on $2 within 60 s (logs in $work)"
}

verify() { # name url [header that must be present]
    local code body
    code="$(curl "${curl_args[@]}" -D "$work/$1.headers" -o "$work/$1.body" -w '%{http_code}' "$2" || true)"
    body="$(cat "$work/$1.body")"
    [ "$code" = 200 ] || die "$1: GET $2 answered $code, expected 200"
    [ "$body" = "$BODY" ] || die "$1: unexpected body: $body"
    if [ -n "${3:-}" ]; then
        grep -qi "^$3:" "$work/$1.headers" || die "$1: response has no $3 header: policies are not active"
    fi
}

# ---------------------------------------------------------------------------------------------------------------
# Load

wrk_args=(-t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" --latency -H "Authorization: Bearer $TOKEN")
[ -n "$BENCH_ORIGIN" ] && wrk_args+=(-H "Origin: $BENCH_ORIGIN")
h2load_args=(--h1 -t1 -c"$BENCH_RATE_CONNECTIONS" -H "Authorization: Bearer $TOKEN")
[ -n "$BENCH_ORIGIN" ] && h2load_args+=(-H "Origin: $BENCH_ORIGIN")

to_ms() { # wrk latency (812.00us, 1.23ms, 1.02s, 1.00m) -> ms
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
        else printf "?" }'
}

declare -A WARM RPS P50 P99 ERRS PCPU LCPU XCPU RP50 RP99 RP999 RACH RERR RPCPU
measure_wrk() { # scenario pid url
    local s="$1" pid="$2" url="$3" f="$work/$1-wrk.txt" before_l before_x before_p after_l after_x after_p t0 t1
    pin "$LOAD_CPUS"
    # Warm-up in steps until at least $warm seconds have passed and two steps agree, or $warm_max seconds.
    local done_s=0 step prev="" cur steps=""
    : >"$work/$s-wrk-warmup.txt"
    while [ "$done_s" -lt "$warm_max" ]; do
        step="$warm_step"
        [ $((done_s + step)) -le "$warm_max" ] || step=$((warm_max - done_s))
        note "$s: warm-up ${done_s}s..$((done_s + step))s"
        run_load "$work/$s-wrk-step.txt" "${PIN[@]}" timeout $((step + 30)) wrk "${wrk_args[@]}" -d"${step}s" "$url" \
            || die "$s: wrk warm-up failed: $(cat "$work/$s-wrk-step.txt")"
        cat "$work/$s-wrk-step.txt" >>"$work/$s-wrk-warmup.txt"
        cur="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/$s-wrk-step.txt")"
        steps+="${steps:+ }$cur"
        done_s=$((done_s + step))
        if [ "$done_s" -ge "$warm" ] && [ -n "$prev" ] && awk -v a="$prev" -v b="$cur" -v t="$BENCH_WARMUP_TOLERANCE" \
            'BEGIN {d = a - b; if (d < 0) d = -d; exit !(a > 0 && 100 * d / a <= t)}'; then
            break
        fi
        prev="$cur"
    done
    WARM[$s]="${done_s}s: $steps req/s"
    note "$s: wrk ${dur}s"
    before_l="$(cpu_jiffies "$LOAD_CPUS")" before_x="$(cpu_jiffies "$PROXY_CPUS")" before_p="$(proc_jiffies "$pid")"
    t0="$(date +%s%N)"
    run_load "$f" "${PIN[@]}" timeout $((dur + 30)) wrk "${wrk_args[@]}" -d"${dur}s" "$url" \
        || die "$s: wrk failed: $(cat "$f")"
    after_l="$(cpu_jiffies "$LOAD_CPUS")" after_x="$(cpu_jiffies "$PROXY_CPUS")" after_p="$(proc_jiffies "$pid")"
    t1="$(date +%s%N)"
    RPS[$s]="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$f")"
    P50[$s]="$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")"
    P99[$s]="$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")"
    ERRS[$s]="$(awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {gsub(",", ""); n += $4 + $6 + $8 + $10}
        END {print n + 0}' "$f")"
    PCPU[$s]="$(busy_pct $((after_p - before_p)) "$t0" "$t1")"
    LCPU[$s]="$(cpu_busy "$before_l" "$after_l")"
    XCPU[$s]="$(cpu_busy "$before_x" "$after_x")"
}

percentile() { # sorted file of microseconds, p in 0..100 -> ms
    awk -v p="$2" '{ v[NR] = $1 } END {
        if (NR == 0) { print "?"; exit }
        i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR
        printf "%.3f", v[i] / 1000 }' "$1"
}

measure_rate() { # scenario pid url
    local s="$1" pid="$2" url="$3" f="$work/$1-h2load.txt" log="$work/$1-h2load.log" before_p after_p t0 t1
    note "$s: h2load at $rate req/s for ${rate_dur}s (+${rate_warm}s warm-up)"
    rm -f "$log"
    before_p="$(proc_jiffies "$pid")"
    t0="$(date +%s%N)"
    pin "$LOAD_CPUS"
    run_load "$f" "${PIN[@]}" timeout $((rate_dur + rate_warm + 30)) h2load "${h2load_args[@]}" --rps="$rps_per_conn" \
        -D "$rate_dur" --warm-up-time="$rate_warm" --log-file="$log" "$url" \
        || die "$s: h2load failed: $(tail -5 "$f")"
    after_p="$(proc_jiffies "$pid")"
    t1="$(date +%s%N)"
    cut -f3 "$log" | sort -n >"$log.sorted"
    RP50[$s]="$(percentile "$log.sorted" 50)"
    RP99[$s]="$(percentile "$log.sorted" 99)"
    RP999[$s]="$(percentile "$log.sorted" 99.9)"
    RACH[$s]="$(awk '/^finished in/ {gsub(",", ""); printf "%.0f", $4}' "$f")"
    # Answers other than 2xx (from the log) plus requests that got no answer (errored, timed out).
    RERR[$s]="$(awk -F'\t' '$2 !~ /^2/ {n++} END {print n + 0}' "$log")"
    RERR[$s]=$((RERR[$s] + $(awk '/^requests:/ {gsub(",", ""); print $12 + $14}' "$f")))
    RPCPU[$s]="$(busy_pct $((after_p - before_p)) "$t0" "$t1")"
}

# ---------------------------------------------------------------------------------------------------------------
# Header: machine, versions, parameters

if [ "$smoke" = 1 ]; then
    out "#############################################################################################"
    out "# SMOKE RUN (--smoke): a few seconds per step to check the set-up. These are NOT figures.   #"
    out "#############################################################################################"
fi
out "Bulwark side-by-side load benchmark"
out "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
out "git:       $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$root" && [ -n "$(git status --porcelain 2>/dev/null)" ] && echo ' (uncommitted changes)' || true)"
out "machine:   $ncpu CPUs, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/^MemTotal/ {printf "%.1f GiB RAM", $2 / 1048576}' /proc/meminfo)"
out "kernel:    $(uname -srm)"
out "load avg:  $(cut -d' ' -f1-3 /proc/loadavg) (before the run; should be near 0 on a quiet machine)"
out "JDK:       $("$JDK/bin/java" -version 2>&1 | sed -n 2p) ($JDK)"
out "nginx:     $("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"
out "wrk:       $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
out "h2load:    $(h2load --version 2>&1 | head -1)"
out "Bulwark:   $jar ($("$JDK/bin/java" -jar "$jar" --version 2>/dev/null | head -1 || echo '?'))"
out "JVM opts:  $java_opts"
out ""
if [ "$BENCH_PIN" = 1 ]; then
    out "CPU pinning (taskset): proxy under test on CPU $PROXY_CPUS, upstream nginx on CPU $UPSTREAM_CPUS," \
        "wrk/h2load on CPU $LOAD_CPUS."
    out "  nginx proxy: worker_processes $proxy_n; Bulwark: -XX:ActiveProcessorCount=$proxy_n ($proxy_n event loop(s))."
    out "  Both proxies get the same CPUs; the load generator and the upstream never compete with them."
else
    out "CPU pinning: none (BENCH_PIN=0 or a single CPU): every process shares every CPU."
fi
out "request:   GET $BENCH_PATH${BENCH_ORIGIN:+ with Origin: $BENCH_ORIGIN}, answer 200 $BODY (${#BODY} bytes)"
out "saturation: wrk ${wrk_args[*]} -d${dur}s URL, after a wrk warm-up with the same parameters in ${warm_step}s" \
    "steps: at least ${warm}s, then until two steps agree within ${BENCH_WARMUP_TOLERANCE}%, at most ${warm_max}s"
out "fixed rate: h2load ${h2load_args[*]} --rps=<rate / $BENCH_RATE_CONNECTIONS> -D $rate_dur" \
    "--warm-up-time=$rate_warm --log-file=F URL; percentiles from every logged request"
out "(d) policies: $configured_policies(bench/policies-all.yaml)"
if [ -n "$unconfigured" ]; then
    out "WARNING: policies that exist but (d) seems not to configure: $unconfigured- add them to bench/policies-all.yaml"
fi
out ""

# ---------------------------------------------------------------------------------------------------------------
# Runs

url_a="http://127.0.0.1:$port_a$BENCH_PATH"
url_b="http://127.0.0.1:$port_b$BENCH_PATH"
url_c="http://127.0.0.1:$port_c$BENCH_PATH"
url_d="http://127.0.0.1:$port_d$BENCH_PATH"

note "starting (a) upstream nginx on 127.0.0.1:$port_a"
start_nginx a-upstream "$work/a-upstream.conf" "$UPSTREAM_CPUS"
wait_ready a-upstream "$url_a"
verify a-upstream "$url_a"

# (b) first: its saturation sets the rate of every fixed-rate run.
note "starting (b) nginx reverse proxy on 127.0.0.1:$port_b"
start_nginx b-nginx-proxy "$work/b-nginx-proxy.conf" "$PROXY_CPUS"
wait_ready b-nginx-proxy "$url_b"
verify b-nginx-proxy "$url_b"
measure_wrk b "${PID[b-nginx-proxy]}" "$url_b"
[ -n "${RPS[b]}" ] && [ "${RPS[b]}" -gt 0 ] || die "(b) measured no throughput, see $work/b-wrk.txt"
if [ -n "${BENCH_RATE:-}" ]; then
    rate="$BENCH_RATE"
else
    rate="$(awk -v r="${RPS[b]}" -v f="$BENCH_RATE_FRACTION" 'BEGIN {printf "%.0f", r * f}')"
fi
[ "$rate" -ge 1 ] || die "fixed rate $rate req/s is too low"
rps_per_conn="$(awk -v r="$rate" -v c="$BENCH_RATE_CONNECTIONS" 'BEGIN {printf "%.3f", r / c}')"
measure_rate b "${PID[b-nginx-proxy]}" "$url_b"
stop b-nginx-proxy

# (a) the upstream alone: reference for the latency the proxies add.
measure_wrk a "${PID[a-upstream]}" "$url_a"
measure_rate a "${PID[a-upstream]}" "$url_a"

note "starting (c) Bulwark without policies on 127.0.0.1:$port_c"
start_bulwark c-bulwark "$work/c-bulwark-no-policies.yaml" "$PROXY_CPUS"
wait_ready c-bulwark "$url_c"
verify c-bulwark "$url_c"
measure_wrk c "${PID[c-bulwark]}" "$url_c"
measure_rate c "${PID[c-bulwark]}" "$url_c"
stop c-bulwark

note "starting (d) Bulwark with every policy on 127.0.0.1:$port_d"
start_bulwark d-bulwark "$work/d-bulwark-all-policies.yaml" "$PROXY_CPUS"
wait_ready d-bulwark "$url_d"
verify d-bulwark "$url_d" X-Content-Type-Options
measure_wrk d "${PID[d-bulwark]}" "$url_d"
measure_rate d "${PID[d-bulwark]}" "$url_d"
stop d-bulwark
stop a-upstream

# ---------------------------------------------------------------------------------------------------------------
# Report

declare -A NAME=(
    [a]="(a) upstream nginx, direct"
    [b]="(b) nginx reverse proxy"
    [c]="(c) Bulwark, no policies"
    [d]="(d) Bulwark, all policies"
)
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (y > 0) printf "%.2f", x / y; else printf "?" }'; }
pct() { awk -v x="$1" -v y="$2" 'BEGIN { if (y > 0) printf "%.0f%%", 100 * x / y; else printf "?" }'; }
minus() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%+.3f", x - y }'; }

out "Saturation (wrk, ${dur}s, $BENCH_CONNECTIONS connections)"
out "$(printf '%-30s %10s %9s %9s %7s %10s %10s %10s' scenario 'req/s' 'p50 ms' 'p99 ms' errors \
    'proc CPU' 'proxy CPUs' 'load CPUs')"
for s in a b c d; do
    out "$(printf '%-30s %10s %9s %9s %7s %9s%% %9s%% %9s%%' "${NAME[$s]}" "${RPS[$s]}" "${P50[$s]}" "${P99[$s]}" \
        "${ERRS[$s]}" "${PCPU[$s]}" "${XCPU[$s]}" "${LCPU[$s]}")"
done
out "  proc CPU: CPU time of the server process(es) under test, in % of one CPU (a: the upstream)."
out "  proxy/load CPUs: how busy the proxy's CPU(s) ($PROXY_CPUS) and the load generator's CPU(s) ($LOAD_CPUS) were."
out "  A proxy scenario measures the proxy only when its CPUs are near 100% and the load CPUs are not."
for s in b c d; do
    if [ "$BENCH_PIN" = 1 ] && [ "${LCPU[$s]}" != "?" ] && [ "${LCPU[$s]}" -ge 90 ]; then
        out "  WARNING: during ${NAME[$s]} the load CPUs ($LOAD_CPUS: upstream and wrk) were ${LCPU[$s]}% busy" \
            "(proxy CPUs ${XCPU[$s]}%): the load side may have limited its req/s, which is then understated."
    fi
done
out "Warm-up before each measurement (req/s of each ${warm_step}s step):"
for s in a b c d; do out "  $(printf '%-28s %s' "${NAME[$s]}" "${WARM[$s]}")"; done
out ""
out "Throughput vs nginx reverse proxy (req/s):"
out "  (c)/(b) = $(ratio "${RPS[c]}" "${RPS[b]}")   aim >= 0.90: $(awk -v x="${RPS[c]}" -v y="${RPS[b]}" \
    'BEGIN {print (y > 0 && x / y >= 0.9) ? "met" : "NOT met"}')"
out "  (d)/(b) = $(ratio "${RPS[d]}" "${RPS[b]}")"
out ""
if [ -n "${BENCH_RATE:-}" ]; then rate_origin="set by BENCH_RATE"; else rate_origin="$(pct "$rate" "${RPS[b]}") of (b)"; fi
out "Fixed rate: $rate req/s ($rate_origin), h2load, ${rate_dur}s, $BENCH_RATE_CONNECTIONS connections at $rps_per_conn req/s each"
out "$(printf '%-30s %10s %9s %9s %10s %7s %9s' scenario 'achieved' 'p50 ms' 'p99 ms' 'p99.9 ms' errors 'proc CPU')"
for s in a b c d; do
    short="$(awk -v a="${RACH[$s]}" -v r="$rate" 'BEGIN {if (a < 0.95 * r) print "  < 95% of the rate: saturated"}')"
    out "$(printf '%-30s %10s %9s %9s %10s %7s %8s%%' "${NAME[$s]}" "${RACH[$s]}" "${RP50[$s]}" "${RP99[$s]}" \
        "${RP999[$s]}" "${RERR[$s]}" "${RPCPU[$s]}")$short"
done
out ""
out "p99 latency added to the upstream's at $rate req/s (aim for Bulwark: < 1 ms):"
for s in b c d; do
    added="$(minus "${RP99[$s]}" "${RP99[a]}")"
    verdict=""
    if [ "$s" != b ]; then
        verdict="$(awk -v x="$added" 'BEGIN {print (x < 1) ? "  aim met" : "  aim NOT met"}')"
    fi
    out "  ${s}-a: $added ms  (p99 ${RP99[$s]} - ${RP99[a]})$verdict"
done
out ""
out "h2load sends on each connection at a fixed interval but waits for the previous answer (HTTP/1.1, no"
out "pipelining), so a stall delays the next requests without counting them as late (coordinated omission):"
out "figures far from saturation are little affected; compare p99.9 with care."
if [ "$smoke" = 1 ]; then
    out ""
    out "SMOKE RUN: the figures above only show that every step ran. Do not quote them."
fi

if [ "$jmh" = 1 ]; then
    run_jmh
fi
out ""
out "written to $results (raw outputs and logs in $work)"
