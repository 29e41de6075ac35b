#!/bin/sh
# Anycast health monitor for Herald (or ExaBGP): announce the service address while the
# local service answers, withdraw it when the service stops answering.
#
# Herald runs this as a `process` with `encoder text`; every line it prints is an API
# command. Settings come from the environment (Herald passes its own to helpers):
#   MONITOR_URL       what to check            (default http://127.0.0.1:8080/)
#   MONITOR_PREFIX    the anycast address      (default 192.0.2.1/32)
#   MONITOR_NEXT_HOP  the next hop to announce (default 198.51.100.1)
#   MONITOR_INTERVAL  seconds between checks   (default 1)
#   MONITOR_RISE / MONITOR_FALL  consecutive results needed to change state (default 1 / 1)
url=${MONITOR_URL:-http://127.0.0.1:8080/}
prefix=${MONITOR_PREFIX:-192.0.2.1/32}
next_hop=${MONITOR_NEXT_HOP:-198.51.100.1}
interval=${MONITOR_INTERVAL:-1}
rise=${MONITOR_RISE:-1}
fall=${MONITOR_FALL:-1}

# Herald acknowledges each command with `done` on our stdin: read the acks so the pipe never
# fills. (A background job's stdin is /dev/null unless redirected explicitly.)
exec 3<&0
cat <&3 >/dev/null &

state=down
streak=0
while :; do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
        seen=up
    else
        seen=down
    fi
    if [ "$seen" = "$state" ]; then
        streak=0
    else
        streak=$((streak + 1))
        need=$fall
        [ "$seen" = up ] && need=$rise
        if [ "$streak" -ge "$need" ]; then
            state=$seen
            streak=0
            if [ "$state" = up ]; then
                echo "announce route $prefix next-hop $next_hop"
            else
                echo "withdraw route $prefix next-hop $next_hop"
            fi
        fi
    fi
    sleep "$interval"
done
