#!/bin/sh
# Remote-triggered blackholing helper (see herald.conf).
#
# Settings (the environment Herald passes on):
#   RTBH_LIST      the addresses to blackhole, one per line, `#` comments (./blocklist.txt)
#   RTBH_DISCARD   the discard next hop the routers null-route (192.0.2.1)
#   RTBH_INTERVAL  seconds between reads of the list (1)
list=${RTBH_LIST:-./blocklist.txt}
discard=${RTBH_DISCARD:-192.0.2.1}
interval=${RTBH_INTERVAL:-1}
attributes="next-hop $discard community [ 65535:666 no-export ]"
active=$(mktemp)
trap 'rm -f "$active" "$active.new"' EXIT
trap 'exit 0' INT TERM HUP

# Herald acknowledges each command on our stdin: read it so the pipe never fills.
exec 3<&0
cat <&3 >/dev/null &

while :; do
    # the wanted set: one host route per address
    if [ -f "$list" ]; then
        sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' -e '/\//!s|$|/32|' "$list" | sort -u >"$active.new"
    else
        : >"$active.new"
    fi
    comm -13 "$active" "$active.new" | while read -r prefix; do
        echo "announce route $prefix $attributes"
    done
    comm -23 "$active" "$active.new" | while read -r prefix; do
        echo "withdraw route $prefix $attributes"
    done
    mv "$active.new" "$active"
    sleep "$interval"
done
