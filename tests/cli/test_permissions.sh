#!/bin/sh
# test_permissions.sh - who may write what (SPEC §2 roles, §8 file modes),
# through the real binary.  For every write verb, each role that lacks the
# right is refused with "needs role X" (exit 1) and the repository is left
# exactly as it was (a dump of both zone files compared before and after);
# one role that has the right then succeeds, so the refusal is the role's
# doing.  Users: cat (cataloger), ext (cataloger-extended), inv (inventory),
# adm (admin only), view (a user whose roles were all revoked) and nobody
# (not a user).  Then the repository's file modes (directory 2770 setgid,
# files 0660, nothing for others, whatever the umask), and `colophon serve`
# refusing updates when read-only, from unknown users and without the role.
# Usage: test_permissions.sh COLOPHON_BINARY
set -u
bin=$1
here=$(dirname "$0")
. "$here/tap.sh"
. "$here/zebra.sh" # free_port, wait_port
tmp=$(mktemp -d)
trap 'for f in "$tmp"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done; rm -rf "$tmp"' EXIT
loc=/usr/share/doc/idzebra-2.0/examples
export COLOPHON_REPO="$tmp/repo"
unset COLUMNS
c() { # USER ARGS...
    u=$1
    shift
    "$bin" --user "$u" "$@"
}
. "$here/fingerprint.sh" # fp

# refuse USER ROLES DESCRIPTION ARGS... : exit 1, "needs role ROLES", nothing changed
refuse() {
    ru=$1 rrole=$2 rdesc=$3
    shift 3
    before=$(fp)
    out=$(c "$ru" "$@" </dev/null 2>&1)
    rc=$?
    if [ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -q "needs role $rrole\b" &&
        [ "$(fp)" = "$before" ]; then
        ok 0 "$rdesc: $ru refused, needs role $rrole, nothing changed"
    else
        ok 1 "$rdesc: $ru refused, needs role $rrole, nothing changed"
        echo "#   exit $rc; output:"
        printf '%s\n' "$out" | sed 's/^/#     /' | head -n 8
        [ "$(fp)" = "$before" ] || echo "#   the repository changed"
    fi
}
# allow USER DESCRIPTION ARGS... : exit 0
allow() {
    au=$1 adesc=$2
    shift 2
    out=$(c "$au" "$@" </dev/null 2>&1)
    rc=$?
    is "$rc" 0 "$adesc: $au may"
    [ "$rc" -eq 0 ] || printf '%s\n' "$out" | sed 's/^/#     /' | head -n 8
}
if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "1..0 # SKIP sqlite3 (the command) not installed"
    exit 0
fi

# --- the repository: LoC records in both zones, a holdings with an item ---
(umask 000 && c root init --institution 1234 "$tmp/repo" >/dev/null); ok $? "init (under umask 000)"
zcat "$loc/marc21/sample-marc.gz" >"$tmp/loc.mrc"
c root import -q "$tmp/loc.mrc" 2>/dev/null && c root import -q --zone nz "$tmp/loc.mrc" 2>/dev/null
ok $? "LoC records in the IZ and the NZ"
bib() { printf '99%09d1234' $((100000000 + $1)); }
nzb() { printf '99%09d4801' $((100000000 + $1)); }
cat >"$tmp/hold.mrk" <<EOF
=LDR  00000nx  a2200000un 4500
=004  $(bib 1)
=008  2411240u    8   4001uueng0000000
=852  0\\\$aMAIN\$bSTACKS\$hQA76
=876  \\\\\$pBC-0001\$3v.1
EOF
c root import -q "$tmp/hold.mrk" 2>/dev/null; ok $? "a holdings record with an item on bib 1"
hold=$(c root show --holdings "$(bib 1)" | sed -n 's/^ *\(22[0-9]*1234\).*/\1/p' | head -n 1)
like "$hold" '^22[0-9]+1234$' "its MMS ID ($hold)"
for u in cat:cataloger ext:cataloger-extended inv:inventory adm:admin view:cataloger; do
    c root user add "${u%%:*}" --role "${u#*:}" >/dev/null || echo "# cannot add $u"
done
c root user revoke view --role cataloger >/dev/null
is "$(c root user list | awk '$1 == "view" {print $2}')" "(none)" "view: a user without roles"
c root show --format mrk "$(bib 2)" >"$tmp/bib2.mrk"
sed 's/^=245  \(..\)\$a/=245  \1$aEdited: /' "$tmp/bib2.mrk" >"$tmp/bib2-edited.mrk"
c root show --format mrk "$hold" | sed 's/STACKS/ANNEX/' >"$tmp/hold-edited.mrk"
printf 'rule "r" when (TRUE) then addField "910.a.x" end\n' >"$tmp/rule.txt"
printf '%s\n' "$(bib 6)" "$(bib 7)" >"$tmp/ids.txt"
c root set create s-all --ids "$tmp/ids.txt" >/dev/null
c root rule add r --file "$tmp/rule.txt" >/dev/null

B="cataloger or cataloger-extended"
# --- edit / save, revert ---
for u in nobody view inv adm; do refuse $u "$B" "edit a bib" edit --file "$tmp/bib2-edited.mrk" "$(bib 2)"; done
allow cat "edit a bib" edit --file "$tmp/bib2-edited.mrk" "$(bib 2)"
for u in view cat ext adm; do refuse $u inventory "edit holdings" edit --file "$tmp/hold-edited.mrk" "$hold"; done
allow inv "edit holdings" edit --file "$tmp/hold-edited.mrk" "$hold"
for u in nobody view inv adm; do refuse $u "$B" "revert a bib" revert "$(bib 2)" 1; done
allow ext "revert a bib" revert "$(bib 2)" 1
# --- delete ---
for u in nobody view cat inv adm; do refuse $u cataloger-extended "delete a bib" delete --yes "$(bib 5)"; done
allow ext "delete a bib" delete --yes "$(bib 5)"
# --- relink, link, unlink ---
for u in view cat ext adm; do refuse $u inventory "relink holdings" relink --yes "$hold" --to "$(bib 3)"; done
allow inv "relink holdings" relink --yes "$hold" --to "$(bib 3)"
for u in view inv adm; do refuse $u "$B" "link to the NZ" link --to "$(nzb 4)" "$(bib 4)"; done
allow cat "link to the NZ" link --to "$(nzb 4)" "$(bib 4)"
for u in view inv adm; do refuse $u "$B" "unlink" unlink "$(bib 4)"; done
allow ext "unlink" unlink "$(bib 4)"
# --- merge (Copy & Merge, Overlay: extended; Import: cataloger) ---
for u in view cat inv adm; do refuse $u cataloger-extended "Copy & Merge" merge --yes "$(bib 8)" --from "$(nzb 8)"; done
for u in cat inv; do refuse $u cataloger-extended "Copy & Overlay" merge --yes --overlay "$(bib 8)" --from "$(nzb 8)"; done
allow ext "Copy & Merge" merge --yes "$(bib 8)" --from "$(nzb 8)"
for u in view inv adm; do refuse $u "$B" "merge --import" merge --yes --import --from "$(nzb 9)"; done
# --- import ---
for u in nobody view adm; do refuse $u "$B or inventory" "import" import -q --again "$tmp/loc.mrc"; done
# --- notes ---
for u in nobody view inv adm; do refuse $u "$B" "note add" note add "$(bib 1)" "hello"; done
allow cat "note add" note add "$(bib 1)" "hello"
before=$(fp)
out=$(c ext note add "$(bib 1)" "second" && c cat note delete 2 2>&1); is $? 1 "note delete: cat refused another's note"
like "$out" "only its author \(ext\)" "... saying whose it is"
allow adm "note delete (admin: anyone's)" note delete 2
# --- assignments, lock release ---
for u in nobody view inv adm; do refuse $u "$B" "assign" assign "$(bib 10)" --to cat; done
allow ext "assign" assign "$(bib 10)" --to cat
c root show --format mrk "$(bib 10)" | sed 's/^=245  \(..\)\$a/=245  \1$aOpen: /' >"$tmp/bib10.mrk"
c cat edit --file "$tmp/bib10.mrk" --keep-lock "$(bib 10)" >/dev/null 2>&1; ok $? "the assignee saves it and keeps it open"
before=$(fp)
out=$(c ext assign --release "$(bib 10)" 2>&1); rc=$?
ok $([ "$rc" -ne 0 ] && [ "$(fp)" = "$before" ] && echo 0 || echo 1) "assign --release: the assigner is refused while the assignee has it open"
like "$out" "cat" "... naming the assignee"
before=$(fp)
out=$(c inv assign --release "$(bib 10)" 2>&1); rc=$?
ok $([ "$rc" -ne 0 ] && [ "$(fp)" = "$before" ] && echo 0 || echo 1) "assign --release: a third user is refused"
allow cat "assign --release (the assignee)" assign --release "$(bib 10)"
c cat edit --file "$tmp/bib2-edited.mrk" --keep-lock "$(bib 2)" >/dev/null 2>&1
out=$(c ext release "$(bib 2)" 2>&1); is $? 3 "release: someone else's lock is refused (exit 3)"
like "$out" "cat" "... naming its holder"
allow cat "release (own lock)" release "$(bib 2)"
# --- reminders ---
for u in nobody view inv adm; do refuse $u "$B" "reminder add" reminder add "$(bib 1)" --text "check"; done
allow cat "reminder add" reminder add "$(bib 1)" --text "check"
before=$(fp)
out=$(c ext reminder add "$(bib 1)" --text "mine" >/dev/null && c cat reminder edit 2 --text x 2>&1)
is $? 1 "reminder edit: cat refused on another's reminder"
out=$(c cat reminder delete 2 2>&1); is $? 1 "reminder delete: cat refused on another's reminder"
allow ext "reminder edit (author)" reminder edit 2 --text "mine, edited"
allow adm "reminder delete (admin: anyone's)" reminder delete 2
for u in cat ext inv view; do refuse $u admin "reminder types add" reminder types add URGENT "Urgent"; done
allow adm "reminder types add" reminder types add URGENT "Urgent"
# --- sets, jobs, rules ---
for u in nobody view; do refuse $u "$B or inventory or admin" "set create" set create s1 --query computer; done
allow inv "set create" set create s1 --query computer
for u in nobody view; do refuse $u "$B or inventory or admin" "set delete" set delete s1; done
allow cat "set delete" set delete s1
for u in nobody view inv adm; do refuse $u "$B" "job run normalize" job run normalize --set s-all rule=r; done
for u in nobody view cat inv adm; do refuse $u cataloger-extended "job run delete" job run delete --set s-all; done
allow cat "job run normalize" job run normalize --set s-all rule=r
for u in nobody view cat ext inv; do refuse $u admin "rule add" rule add r2 --file "$tmp/rule.txt"; done
allow adm "rule add" rule add r2 --file "$tmp/rule.txt"
for u in cat ext inv; do refuse $u admin "rule delete" rule delete r2; done
allow adm "rule delete" rule delete r2
# --- users, configuration, external targets ---
for u in nobody view cat ext inv; do refuse $u admin "user add" user add eve --role cataloger; done
for u in cat ext inv; do refuse $u admin "user grant" user grant cat --role admin; done
for u in cat ext inv; do refuse $u admin "user revoke" user revoke adm --role admin; done
allow adm "user add" user add eve --role cataloger
for u in nobody view cat ext inv; do refuse $u admin "config set" config set lock.timeout 90m; done
allow adm "config set" config set lock.timeout 90m
for u in cat ext inv; do refuse $u admin "external add" external add loc z3950.loc.gov:7090/voyager; done
allow adm "external add" external add loc z3950.loc.gov:7090/voyager
for u in cat ext inv; do refuse $u admin "external remove" external remove loc; done
allow adm "external remove" external remove loc
is "$(c root versions "$(bib 7)" | grep -c ' rule')" 1 "the one job that ran wrote its version (the refused ones none)"

# --- file modes (SPEC §8: group-writable for catalogers, nobody else) ---
is "$(stat -c %a "$tmp/repo")" 2770 "the repository directory is 2770 (setgid, group-writable) under umask 000"
for f in "$tmp"/repo/*; do
    is "$(stat -c %a "$f")" 660 "$(basename "$f") is 0660"
done
is "$(find "$tmp/repo" -perm /o=rwx | wc -l)" 0 "nothing in the repository grants others anything"
(umask 077 && "$bin" --repo "$tmp/repo2" init --institution 1234 >/dev/null && "$bin" --repo "$tmp/repo2" search computer >/dev/null)
is "$(stat -c %a "$tmp/repo2" "$tmp/repo2/iz.db" "$tmp/repo2/nz.db" | tr '\n' ' ')" "2770 660 660 " \
    "under umask 077 too: the group can still write"

# --- colophon serve: no updates unless --allow-update, only from users with the role ---
if command -v yaz-client >/dev/null 2>&1; then
    echo 'cat-secret-1' | c root user passwd cat >/dev/null && echo 'adm-secret-1' | c root user passwd adm >/dev/null &&
        echo 'view-secret-1' | c root user passwd view >/dev/null
    ok $? "network passwords for cat, adm and view"
    yc() { # PORT AUTH COMMANDS...
        yport=$1 yauth=$2
        shift 2
        { [ -n "$yauth" ] && echo "auth $yauth"
          echo "open tcp:127.0.0.1:$yport/Default"
          for cmd in "$@"; do echo "$cmd"; done
          echo quit; } | (cd "$tmp" && yaz-client 2>&1)
    }
    cat >"$tmp/new.xml" <<'EOF'
<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader><controlfield tag="008">240101s2024    xx            000 0 eng d</controlfield><datafield tag="245" ind1="0" ind2="0"><subfield code="a">Permission probe quux</subfield></datafield></record>
EOF
    port=$(free_port)
    c root serve --listen "tcp:127.0.0.1:$port" --daemon --pidfile "$tmp/ro.pid" >/dev/null 2>&1
    wait_port "$port" 10
    before=$(fp)
    o=$(yc "$port" 'cat cat-secret-1' 'format xml' 'update insert 0 <new.xml')
    like "$o" "read-only" "serve without --allow-update: a cataloger's insert is refused"
    o=$(yc "$port" 'cat cat-secret-1' 'format xml' "update delete $(bib 11) <new.xml")
    like "$o" "read-only" "... and a delete"
    is "$(fp)" "$before" "... nothing written"
    kill "$(cat "$tmp/ro.pid")"
    port=$(free_port)
    c root serve --listen "tcp:127.0.0.1:$port" --daemon --pidfile "$tmp/rw.pid" --allow-update >/dev/null 2>&1
    wait_port "$port" 10
    o=$(yc "$port" '' 'format xml' 'update insert 0 <new.xml')
    like "$o" "need a user and password" "--allow-update: an anonymous insert is refused"
    o=$(yc "$port" 'nobody nobody-secret' 'format xml' 'update insert 0 <new.xml')
    like "$o" "Connection rejected|\[1014\]|\[1011\]" "an unknown user cannot log in"
    o=$(yc "$port" 'cat wrong-password' 'format xml' 'update insert 0 <new.xml')
    like "$o" "Connection rejected|\[1014\]|\[1011\]" "a wrong password cannot log in"
    o=$(yc "$port" 'view view-secret-1' 'format xml' 'update insert 0 <new.xml')
    like "$o" "\[223\]|needs role cataloger" "view (no roles) logged in: the insert is refused"
    o=$(yc "$port" 'adm adm-secret-1' 'format xml' 'update insert 0 <new.xml')
    like "$o" "\[223\]|needs role cataloger" "adm (admin only): the insert is refused"
    o=$(yc "$port" 'cat cat-secret-1' 'format xml' "update delete $(bib 11) <new.xml")
    like "$o" "cataloger-extended" "cat: a delete is refused (needs cataloger-extended)"
    is "$(fp)" "$before" "nothing written by any refused update"
    kill "$(cat "$tmp/rw.pid")"
else
    ok 0 "# SKIP serve refusals: yaz-client not installed"
fi
done_testing
