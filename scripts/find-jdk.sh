# Sourced by bench/run.sh and eval/run.sh: finds a JDK >= 21 the way the launcher (./bulwark) does.
# shellcheck shell=bash

# The major version of the java binary $1, or 0.
java_major() {
    local v
    v="$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
    echo "${v%%.*}" | grep -E '^[0-9]+$' || echo 0
}

find_jdk() {
    local candidates=() d v best="" best_v=0
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
        [ -d "$d" ] && candidates+=("$d")
    done
    for d in "${candidates[@]}"; do
        [ -x "$d/bin/java" ] && [ -x "$d/bin/javac" ] || continue
        v="$(java_major "$d/bin/java")"
        if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d" best_v="$v"; fi
    done
    [ -n "$best" ] && echo "$best"
}
