#!/bin/sh
# Appends every JSON line Herald sends to $PRINT_FILE (default ./received.jsonl).
# Not `exec cat > file`: the helper keeps its stdout open, or the speaker counts it as dead.
cat >> "${PRINT_FILE:-./received.jsonl}"
