# fingerprint.sh - what "the repository is exactly as before" means to the
# CLI tests: both zone files of $COLOPHON_REPO as SQL text, hashed.
# Sourced by test_permissions.sh and test_hostile.sh.
#
# The busy timeout matters: a server's session process that has just ended
# checkpoints the WAL as it closes, and a dump that meets that lock without
# waiting prints "ERROR: (5) database is locked" into its output, exits 0
# and looks like a change (seen in CI: 1 run in 16 under load).
fp() {
    for z in iz nz; do
        sqlite3 -cmd '.timeout 10000' "$COLOPHON_REPO/$z.db" .dump || echo "dump of $z.db failed"
    done | md5sum
}
