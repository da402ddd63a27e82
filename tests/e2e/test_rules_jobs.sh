#!/bin/sh
# Rules and jobs from the editor, and the pop-up boxes, in the real editor
# under tmux: a normalization rule applied to the record being edited (the
# diff first, then an unsaved edit that C-z undoes and C-s saves), an
# indication rule tested; a job on 20,000 records showing its progress on
# the bottom line, stopped with Esc (resumable: it says so) and resumed to
# its end; a long yes/no question wrapped whole at 80x24, and boxes that
# leave no slivers of the right pane at 132x43.  The CLI checks the
# repository after each step.
. "$(dirname "$0")/lib.sh"
e2e_init "$1"
e2e_repo

cat > "$E2E_DIR/note.rule" <<'EOF'
rule "Checked note"
when (exists "245" AND NOT exists "910")
then
addField "910.a.Checked by rule"
end
EOF
cat > "$E2E_DIR/lccn.rule" <<'EOF'
rule "Has an LCCN"
when (exists "010")
then set indication."true"
end
EOF
cli rule add "Checked note" --file "$E2E_DIR/note.rule" >/dev/null
cli rule add "Has an LCCN" --file "$E2E_DIR/lccn.rule" >/dev/null
like "$(cli rule list 2>&1)" "Checked note" "the rules are stored"

# ---- apply a rule to the record being edited ----
e2e_start ed -- edit "$MMS1"
check "the record opens" e2e_wait ed "Locked by you until"
e2e_keys ed M-N
check "M-N lists the normalization rules" e2e_wait ed "Apply which rule on $MMS1?"
check "the indication rule is not offered to apply" e2e_wait_gone ed "Has an LCCN" 1
e2e_type ed checked
e2e_keys ed Enter
check "the diff comes first" e2e_wait ed "+ 910  \\\\\$aChecked by rule"
check "then the question, whole" e2e_wait ed "nothing is saved until you save."
e2e_keys ed y
check "applied as an edit, not saved" e2e_wait ed "Rule Checked note applied"
check "the 910 is in the record pane" e2e_wait ed "910 __ \$\$aChecked by rule"
check "the title bar marks the record modified" e2e_wait ed "[+]"
unlike_out=$(cli show "$MMS1" 2>&1)
case $unlike_out in *"Checked by rule"*) ok 1 "nothing saved before C-s" ;; *) ok 0 "nothing saved before C-s" ;; esac
e2e_keys ed C-z
check "C-z undoes the whole rule" e2e_wait_gone ed "Checked by rule"
e2e_keys ed C-y C-s
check "C-y brings it back; C-s saves it" e2e_wait ed "as version 2"
like "$(cli show "$MMS1" 2>&1)" "Checked by rule" "the saved record has the 910"

# ---- test an indication rule ----
e2e_keys ed M-T
check "M-T lists the rules to test" e2e_wait ed "Test which rule on $MMS1?"
e2e_type ed lccn
e2e_keys ed Enter
check "an indication rule's verdict" e2e_wait ed "Indication rule Has an LCCN is"
e2e_keys ed C-q

# ---- a job with progress, stopped and resumed ----
awk 'BEGIN { for (i = 1; i <= 20000; i++)
    printf "=LDR  00000nam a2200000 a 4500\n=008  200101s2020\\\\\\\\xxu\\\\\\\\\\\\\\\\\\\\\\000\\0\\eng\\d\n=245  10$aGenerated record %d\n\n", i }' \
    > "$E2E_DIR/gen.mrk"
cli import --quiet "$E2E_DIR/gen.mrk" >/dev/null 2>&1
like "$(cli set create gen --query 'title=generated' 2>&1)" "20000 record" "a set of 20,000 records"
# (the next session starts before the last one goes: a tmux server with no
# session left exits, and a new session could race with it)
e2e_start job --
e2e_stop ed
check "the editor starts" e2e_wait job "no record open"
e2e_keys job M-J
check "M-J offers the set" e2e_wait job "> gen"
e2e_keys job Enter
check "it asks for the job" e2e_wait job "Job on gen (itemized)"
e2e_type job "normalize rule=Checked note"
e2e_keys job Enter
check "the bottom line shows the progress" e2e_wait job "Esc stops"
e2e_keys job Escape
check "Esc stops the job and says it is resumable" e2e_wait job "Resumable: M-J, then resume 1"
like "$(cli job show 1 2>&1)" "interrupted" "the CLI shows the job interrupted"
like "$(cli job show 1 2>&1)" "pending" "records are left pending"
e2e_keys job Escape M-J Enter
e2e_wait job "Job on gen (itemized)" >/dev/null
e2e_type job "resume 1"
e2e_keys job Enter
check "resume runs it to its end" e2e_wait job "Job 1 done" 60
show=$(cli job show 1 2>&1)
like "$show" "changed +20000" "every record changed once"
case $show in *pending*) ok 1 "none pending" ;; *) ok 0 "none pending" ;; esac
e2e_keys job Escape C-q

# ---- boxes: long questions wrap, no slivers ----
e2e_start q -- edit "$MMS2"
e2e_stop job
check "the second record opens" e2e_wait q "Locked by you until"
e2e_keys q Down
e2e_type q "x"
e2e_keys q C-o
e2e_type q "$MMS3"
e2e_keys q Enter
check "the long question is shown whole at 80 columns" e2e_wait q "Open $MMS3 anyway?"
e2e_keys q n
e2e_start wide -x 132 -y 43 -- edit "$MMS3"
e2e_stop q
check "it opens at 132x43" e2e_wait wide "Locked by you until"
e2e_keys wide F1
check "the help opens" e2e_wait wide "Keys (remap them"
# every row of the box ends in its border at the last column: nothing of the
# right pane shows beside it
rows=$(e2e_screen wide | sed -n '2,42p' | grep -c '[│┐┘]$')
is "$rows" 41 "the box covers the full width (41 rows end in its border)"
e2e_keys wide Escape C-q
done_testing
