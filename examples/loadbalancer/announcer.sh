#!/bin/sh
# Event-driven announcer with state replay, for a load balancer (see herald.conf).
#
# Settings (the environment Herald passes on):
#   LB_CONTROL   FIFO the load balancer writes "up VIP" / "down VIP" lines to (./lb.fifo)
#   LB_STATE     the current set of VIPs, one per line, kept across restarts (./lb.state)
#   LB_NEXT_HOP  next hop of the announces (self)
# Every replay is logged on stderr ("announcer: replayed N routes (why)"), which Herald
# copies into its own log.
control=${LB_CONTROL:-./lb.fifo}
state=${LB_STATE:-./lb.state}
next_hop=${LB_NEXT_HOP:-self}
[ -p "$control" ] || mkfifo -m 600 "$control"
[ -f "$state" ] || : >"$state"

announce() { echo "announce route $1 next-hop $next_hop"; }
withdraw() { echo "withdraw route $1 next-hop $next_hop"; }
replay() {
    n=0
    while read -r vip; do
        [ -n "$vip" ] || continue
        announce "$vip"
        n=$((n + 1))
    done <"$state"
    echo "announcer: replayed $n routes ($1)" >&2
}

replay start

# The load balancer's events, as they come: announce or withdraw at once, and record the
# set (written to a new file and renamed, so a crash never leaves half a state file).
(
    while :; do
        while read -r event vip; do
            case "$event" in
                up)
                    grep -qxF "$vip" "$state" || echo "$vip" >>"$state"
                    announce "$vip"
                    ;;
                down)
                    grep -vxF "$vip" "$state" >"$state.new"
                    mv "$state.new" "$state"
                    withdraw "$vip"
                    ;;
            esac
        done <"$control"
    done
) &
reader=$!
trap 'kill "$reader" 2>/dev/null; exit 0' EXIT INT TERM HUP

# Herald's events (JSON, one per line): a session that comes up gets the whole set again.
# Acks (`done`) and every other message are read and ignored, so the pipe never fills.
while read -r line; do
    case "$line" in
        *'"type": "state"'*'"state": "up"'*) replay "session up" ;;
    esac
done
