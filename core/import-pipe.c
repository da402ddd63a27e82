/*
 * import-pipe.c - the reading thread of an import's bibs pass.
 *
 * SQLite writes one record at a time on one connection, and that is most
 * of an import's work; decoding, MARC-8 conversion, normalisation,
 * validation, encoding and extracting the index terms are the rest.  They
 * need nothing from the repository, so they run here, on a thread of their
 * own, one ring of slots ahead of the thread that stores.  The MMS ID is
 * the one thing only the storing thread knows (the counter is read inside
 * its transaction): records are encoded with a placeholder of the right
 * length in 001, and the storing thread writes the real digits over it.
 *
 * Nothing here touches the repository, and nothing is reported from here:
 * problems travel in the slots, in file order, for the storing thread to
 * report.
 */
#include "import-int.h"

#include "iso2709.h"
#include "marcxml.h"
#include "reader.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PIPE_SLOTS 256

struct imp_pipe {
    const struct imp *im; /* read only: options, done, zone code */
    struct marc_reader *rd;
    pthread_t thread;
    bool started;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct imp_slot slots[PIPE_SLOTS];
    size_t head, count; /* the caller's next slot, slots filled */
    bool stop;          /* the caller wants no more */
    /* Who sleeps: a side wakes the other only when it waits, and the
     * reader, once the ring was full, only when a quarter is free again,
     * so that the threads do not hand the CPU back and forth per record. */
    bool reader_waits, caller_waits;
    struct imp_slot *filling;
};

static void
slot_note(struct imp_slot *s, const struct marc_diag *d, bool lint)
{
    if (s->nnotes == s->capnotes) {
        s->capnotes = s->capnotes ? s->capnotes * 2 : 4;
        s->notes = xrealloc(s->notes, s->capnotes * sizeof *s->notes);
    }
    s->notes[s->nnotes].d = *d;
    s->notes[s->nnotes].lint = lint;
    s->nnotes++;
}

static void
pipe_reader_diag(void *ctx, const struct marc_diag *d)
{
    struct imp_pipe *p = ctx;
    slot_note(p->filling, d, false);
}

static void
pipe_lint_diag(void *ctx, const struct marc_diag *d)
{
    struct imp_slot *s = ctx;
    if (d->severity != MARC_SEV_ERROR)
        return;
    s->invalid = true;
    slot_note(s, d, true);
}

/* Offset in an ISO 2709 image of the 001 that holds `mms`, -1 when none. */
static long
find_mms(const struct marc_buf *b, const char *mms)
{
    if (b->len < MARC_LEADER_LEN)
        return -1;
    long base = 0;
    for (int i = 12; i < 17; i++)
        base = base * 10 + (b->data[i] - '0');
    for (size_t e = MARC_LEADER_LEN; e + 12 <= (size_t)base && b->data[e] != MARC_FIELD_TERM;
         e += 12) {
        if (memcmp(b->data + e, "001", 3) != 0)
            continue;
        long start = 0;
        for (int i = 7; i < 12; i++)
            start = start * 10 + (b->data[e + (size_t)i] - '0');
        long at = base + start;
        if ((size_t)at + IMP_MMS_LEN <= b->len && memcmp(b->data + at, mms, IMP_MMS_LEN) == 0)
            return at;
    }
    return -1;
}

/* What store_bib needs, ready: stamped, validated, encoded, indexed. */
static void
prepare_bib(struct imp_pipe *p, struct imp_slot *s)
{
    struct marc_record *r = s->r;
    repo_keep_old_001(r, s->orig, sizeof s->orig);
    repo_stamp(r, p->im->placeholder, core_now());
    struct marc_decode_ctx lc = {.record = s->where.record,
                                 .offset = s->where.offset,
                                 .line = s->where.line,
                                 .diag = pipe_lint_diag,
                                 .diag_ctx = s};
    marc_lint_record(r, &lc);
    marc_buf_reset(&s->blob);
    s->fmt = 0;
    s->mms_at = -1;
    if (marc_iso2709_encode(r, &s->blob, NULL) == MARC_OK) {
        s->mms_at = find_mms(&s->blob, p->im->placeholder);
    } else {
        marc_buf_reset(&s->blob);
        s->fmt = 1; /* too long for ISO 2709: the storing thread encodes it */
    }
    core_bib_keys_extract(r, &s->keys);
    s->prepared = true;
}

static void
slot_reset(struct imp_slot *s)
{
    s->what = IMP_SLOT_RECORD;
    s->prepared = false;
    s->invalid = false;
    s->nnotes = 0;
    s->orig[0] = '\0';
}

/* Wait for a free slot; NULL when the caller stopped the pipe. */
static struct imp_slot *
free_slot(struct imp_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    if (p->count == PIPE_SLOTS) {
        while (p->count > PIPE_SLOTS - PIPE_SLOTS / 4 && !p->stop) {
            p->reader_waits = true;
            pthread_cond_wait(&p->changed, &p->lock);
        }
        p->reader_waits = false;
    }
    struct imp_slot *s = p->stop ? NULL : &p->slots[(p->head + p->count) % PIPE_SLOTS];
    pthread_mutex_unlock(&p->lock);
    return s;
}

static void
publish(struct imp_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    p->count++;
    if (p->caller_waits)
        pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

/* The reader stopped on an error: the slot says what and where. */
static void
fill_failure(struct imp_pipe *p, struct imp_slot *s, int mrc)
{
    s->what = IMP_SLOT_FAIL;
    s->code = mrc == MARC_ERR_IO ? CORE_ERR_IO : CORE_ERR_INVALID;
    const struct marc_diag *d = marc_reader_error(p->rd);
    char *where = d ? marc_diag_format(d, p->im->name) : NULL;
    snprintf(s->message, sizeof s->message, "%s", where ? where : "the file could not be read");
    free(where);
}

static void *
run(void *arg)
{
    struct imp_pipe *p = arg;
    for (;;) {
        struct imp_slot *s = free_slot(p);
        if (!s)
            return NULL;
        slot_reset(s);
        p->filling = s;
        int mrc = marc_reader_next(p->rd, s->r);
        s->skipped = marc_reader_skipped(p->rd);
        s->position = marc_reader_position(p->rd);
        if (mrc == 1) {
            s->where.record = marc_reader_record_number(p->rd);
            s->where.offset = marc_reader_record_offset(p->rd);
            s->where.line = marc_reader_record_line(p->rd);
            s->kind = marc_record_kind(s->r);
            if (s->kind == MARC_KIND_BIBLIOGRAPHIC && s->where.record > p->im->done)
                prepare_bib(p, s);
            publish(p);
            continue;
        }
        if (mrc == 0) {
            s->what = IMP_SLOT_END;
            s->nrecords = marc_reader_record_number(p->rd);
        } else {
            fill_failure(p, s, mrc);
        }
        publish(p);
        return NULL;
    }
}

struct imp_pipe *
imp_pipe_start(struct imp *im, bool report, int *rc)
{
    struct imp_pipe *p = xcalloc(1, sizeof *p);
    p->im = im;
    core_mms_format(CORE_MMS_BIB, CORE_MMS_SEQ_START, core_repo_zone_code(im->repo, im->zone),
                    im->placeholder);
    for (size_t i = 0; i < PIPE_SLOTS; i++)
        p->slots[i].r = marc_record_new();
    struct marc_read_opts ro = {.format = im->o->format,
                                .permissive = im->o->permissive,
                                .to_utf8 = true,
                                .normalize = MARC_NF_NFC,
                                .diag = report ? pipe_reader_diag : NULL,
                                .diag_ctx = p};
    char *cause = NULL;
    lseek(im->fd, 0, SEEK_SET);
    p->rd = marc_reader_open_fd(im->fd, im->name, &ro, &cause);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    if (!p->rd) {
        *rc = repo_fail(im->repo, CORE_ERR_USER, "%s", cause ? cause : "cannot read the file");
        free(cause);
        imp_pipe_stop(p);
        return NULL;
    }
    int e = pthread_create(&p->thread, NULL, run, p);
    if (e != 0) {
        *rc = repo_fail(im->repo, CORE_ERR_IO, "cannot start the reading thread: %s", strerror(e));
        imp_pipe_stop(p);
        return NULL;
    }
    p->started = true;
    return p;
}

struct imp_slot *
imp_pipe_next(struct imp_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->count == 0) {
        p->caller_waits = true;
        pthread_cond_wait(&p->changed, &p->lock);
    }
    p->caller_waits = false;
    struct imp_slot *s = &p->slots[p->head];
    pthread_mutex_unlock(&p->lock);
    return s;
}

void
imp_pipe_release(struct imp_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    p->head = (p->head + 1) % PIPE_SLOTS;
    p->count--;
    if (p->reader_waits && p->count <= PIPE_SLOTS - PIPE_SLOTS / 4)
        pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

void
imp_pipe_stop(struct imp_pipe *p)
{
    if (!p)
        return;
    if (p->started) {
        pthread_mutex_lock(&p->lock);
        p->stop = true;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->thread, NULL);
    }
    marc_reader_close(p->rd);
    for (size_t i = 0; i < PIPE_SLOTS; i++) {
        struct imp_slot *s = &p->slots[i];
        marc_record_free(s->r);
        marc_buf_free(&s->blob);
        core_bib_keys_free(&s->keys);
        free(s->notes);
    }
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->changed);
    free(p);
}
