# tap.sh - a few shell functions to write TAP from a test script.
# Source it, call `ok COND_STATUS "description"` style helpers, end with
# `done_testing`.
TAP_N=0
TAP_FAILED=0

ok() { # status description
    TAP_N=$((TAP_N + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $TAP_N - $2"
    else
        echo "not ok $TAP_N - $2"
        TAP_FAILED=$((TAP_FAILED + 1))
    fi
}

# is ACTUAL EXPECTED description
is() {
    if [ "$1" = "$2" ]; then ok 0 "$3"; else
        ok 1 "$3"
        echo "#   got:      '$1'"
        echo "#   expected: '$2'"
    fi
}

# like TEXT PATTERN description  (grep -E pattern)
like() {
    if printf '%s\n' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else
        ok 1 "$3"
        printf '%s\n' "$1" | sed 's/^/#   /' | head -n 20
        echo "#   wanted pattern: $2"
    fi
}

done_testing() {
    echo "1..$TAP_N"
    [ "$TAP_FAILED" -eq 0 ]
}
