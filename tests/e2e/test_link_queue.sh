#!/bin/sh
# The network zone in the real editor (SPEC §3.4, seed 001): Share with
# Network (M-l) on a record with one OCLC match links it after a question;
# unlink (M-U) makes it local again; a record nothing matches is offered for
# contribution; a link-to-nz job's multi-match waits in the Queue tab, where
# Enter shows the candidates one by one beside the record and l links the
# one picked.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"

cli --user cataloger init --institution 1234 >/dev/null
cat > "$E2E_DIR/iz.mrk" <<'EOF'
=LDR  00000nam a2200000 a 4500
=008  200101s2020    xxu           000 0 eng d
=035  \\$a(OCoLC)33333
=100  1\$aNet, Ed.
=245  10$aNetwork twin

=LDR  00000nam a2200000 a 4500
=008  200101s2020    xxu           000 0 eng d
=035  \\$a(OCoLC)44444
=100  1\$aLee, Flo.
=245  10$aShare me

=LDR  00000nam a2200000 a 4500
=008  200101s2020    xxu           000 0 eng d
=100  1\$aSolo, Han.
=245  10$aNobody else has this

EOF
cat > "$E2E_DIR/nz.mrk" <<'EOF'
=LDR  00000nam a2200000 a 4500
=008  200101s2020    xxu           000 0 eng d
=035  \\$a(OCoLC)33333
=100  1\$aNet, Ed.
=245  10$aNetwork twin

=LDR  00000nam a2200000 a 4500
=008  200101s2020    xxu           000 0 eng d
=035  \\$a(OCoLC)33333
=100  1\$aNet, Ed.
=245  10$aNetwork twin (second copy)

=LDR  00000nam a2200000 a 4500
=008  200101s2020    xxu           000 0 eng d
=035  \\$a(OCoLC)44444
=100  1\$aLee, Flo.
=245  10$aShare me

EOF
cli --user cataloger import --quiet "$E2E_DIR/iz.mrk" >/dev/null 2>&1
cli --user cataloger import --quiet --zone nz "$E2E_DIR/nz.mrk" >/dev/null 2>&1
TWIN=991000000011234 SHARE=991000000021234 SOLO=991000000031234
NZ1=991000000014801 NZ2=991000000024801 NZ3=991000000034801
like "$(cli search --zone nz 'oclc=33333' 2>&1)" "$NZ2" "two network records carry OCLC 33333"
echo "$TWIN" > "$E2E_DIR/ids"
cli --user cataloger set create twins --ids "$E2E_DIR/ids" >/dev/null
cli --user cataloger job run link-to-nz --set twins >/dev/null 2>&1
like "$(cli link --queue 2>&1)" "$TWIN" "the job left $TWIN in the multi-match queue"

# ---- Share with Network: one OCLC match ----
e2e_start ed -- --user cataloger edit "$SHARE"
check "the record opens for editing" e2e_wait ed "Locked by you until"
e2e_keys ed M-l
check "M-l shows the network candidate" e2e_wait ed "Share: 1/1 for $SHARE"
check "with how it matched" e2e_wait ed "Matched by OCLC number 44444"
check "and the candidate record beside the IZ record" e2e_wait ed "001 $NZ3"
e2e_keys ed l
check "l asks before linking" e2e_wait ed "Link $SHARE to network record $NZ3?"
e2e_keys ed y
check "the record is linked" e2e_wait ed "Linked $SHARE to $NZ3"
check "the title bar says linked" e2e_wait ed "IZ+linked"
like "$(cli show --info "$SHARE" 2>&1)" "$NZ3" "the CLI shows the link"
e2e_keys ed M-U
check "M-U asks before unlinking" e2e_wait ed "Unlink $SHARE from network record $NZ3?"
e2e_keys ed y
check "the record is unlinked" e2e_wait ed "Unlinked $SHARE"
like "$(cli show --info "$SHARE" 2>&1)" "Linked: *no" "the CLI shows it local again"

# ---- nothing matches: contribute ----
e2e_keys ed C-o
e2e_wait ed "Open the record with MMS ID" >/dev/null
e2e_type ed "$SOLO"
e2e_keys ed Enter
check "the unmatched record opens" e2e_wait ed "Opened $SOLO"
e2e_keys ed M-l
check "nothing matches: contribute?" e2e_wait ed "Nothing in the Network Zone matches $SOLO"
e2e_keys ed y
check "the record is contributed and linked" e2e_wait ed "Contributed $SOLO to the Network Zone"
like "$(cli show --info "$SOLO" 2>&1)" "Linked: .*4801" "the CLI shows it linked to a new NZ record"

# ---- the multi-match in the Queue ----
e2e_keys ed M-8
check "the queue lists the multi-match" e2e_wait ed "Link multi-matches (1)"
e2e_keys ed End Enter
check "Enter shows the first candidate beside the record" e2e_wait ed "Candidate 1/2 for $TWIN"
check "the IZ record is open on the left" e2e_wait ed "Opened $TWIN"
e2e_keys ed Right
check "Right shows the second candidate" e2e_wait ed "Candidate 2/2 for $TWIN"
check "its content is shown" e2e_wait ed "(second copy)"
e2e_keys ed l
e2e_wait ed "y yes / n no" >/dev/null
e2e_keys ed y
check "the picked candidate is linked" e2e_wait ed "Linked $TWIN to $NZ2"
check "the queue has no multi-match left" e2e_wait ed "Link multi-matches (0)"
like "$(cli show --info "$TWIN" 2>&1)" "$NZ2" "the CLI shows $TWIN linked to $NZ2"
e2e_keys ed C-q
done_testing
