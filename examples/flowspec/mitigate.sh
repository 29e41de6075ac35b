#!/bin/sh
# FlowSpec DDoS mitigation helper (see herald.conf).
#
# Settings (the environment Herald passes on):
#   FLOW_ATTACKS   one attack per line: DESTINATION PROTOCOL PORT ACTION, where ACTION is
#                  `discard` or `rate-limit BYTES_PER_SECOND`; `#` comments (./attacks.txt)
#   FLOW_INTERVAL  seconds between reads of the file (1)
# Each line becomes:
#   announce flow route destination DESTINATION protocol PROTOCOL destination-port =PORT ACTION
attacks=${FLOW_ATTACKS:-./attacks.txt}
interval=${FLOW_INTERVAL:-1}
active=$(mktemp)
trap 'rm -f "$active" "$active.new"' EXIT
trap 'exit 0' INT TERM HUP

# Herald acknowledges each command on our stdin: read it so the pipe never fills.
exec 3<&0
cat <&3 >/dev/null &

rule() { # DESTINATION PROTOCOL PORT ACTION…
    dst=$1 proto=$2 port=$3
    shift 3
    echo "flow route destination $dst protocol $proto destination-port =$port $*"
}

while :; do
    if [ -f "$attacks" ]; then
        sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$attacks" | while read -r line; do
            # shellcheck disable=SC2086
            rule $line
        done | sort -u >"$active.new"
    else
        : >"$active.new"
    fi
    comm -13 "$active" "$active.new" | while read -r r; do echo "announce $r"; done
    comm -23 "$active" "$active.new" | while read -r r; do echo "withdraw $r"; done
    mv "$active.new" "$active"
    sleep "$interval"
done
