/*
 * export.c - writing records out of the repository: by MMS ID or by query,
 * in any format and character set, optionally with holdings and items
 * embedded in each bib for systems that take them that way.
 *
 * Embedded holdings follow the MARC 21 convention for holdings data in a
 * bibliographic record: holdings record k (1-based, in the bib's order)
 * contributes its 852 and 866-868 fields, each with "$8 k" in front, and
 * each of its items a "876 $8 k.n $a ITEM-MMS $p BARCODE $3 DESCRIPTION
 * $j STATUS" (empty subfields left out), so the fields of one holdings
 * record stay together.  Records are read through core_record_get, so a
 * linked IZ bib is exported as the cataloger sees it.
 */
#include "import.h"
#include "repo-int.h"

#include "buf.h"
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Index of a new data field `tag` (in tag order) holding "$8 link" then the
 * subfields of `body` (indicators and subfields, as stored). */
static int
add_linked(struct marc_record *r, const char *tag, const char *body, size_t len, const char *link,
           struct marc_buf *tmp)
{
    if (len < 2)
        return MARC_OK;
    marc_buf_reset(tmp);
    marc_buf_append(tmp, body, 2);
    marc_buf_putc(tmp, MARC_SUBFIELD_DELIM);
    marc_buf_putc(tmp, '8');
    marc_buf_puts(tmp, link);
    marc_buf_append(tmp, body + 2, len - 2);
    long at = marc_record_add_data(r, tag, body[0], body[1]);
    if (at < 0)
        return (int)at;
    int rc = marc_record_set_body(r, (size_t)at, tmp->data, tmp->len);
    if (rc != MARC_OK)
        marc_record_delete_field(r, (size_t)at);
    return rc;
}

static bool
embedded_tag(const char *tag)
{
    return strcmp(tag, "852") == 0 || strcmp(tag, "866") == 0 || strcmp(tag, "867") == 0 ||
           strcmp(tag, "868") == 0;
}

static void
add_subfield(struct marc_record *r, size_t at, char code, const char *value)
{
    if (value && *value)
        marc_record_append_subfield(r, at, code, value, strlen(value));
}

static int
embed_items(struct core_repo *repo, struct marc_record *r, const char *holdings, size_t k)
{
    struct core_item_info *items;
    size_t n;
    int rc = core_items_list(repo, holdings, &items, &n);
    if (rc != CORE_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        long at = marc_record_add_data(r, "876", ' ', ' ');
        if (at < 0)
            continue;
        char link[48];
        snprintf(link, sizeof link, "%zu.%zu", k, i + 1);
        add_subfield(r, (size_t)at, '8', link);
        add_subfield(r, (size_t)at, 'a', items[i].mms);
        add_subfield(r, (size_t)at, 'p', items[i].barcode);
        add_subfield(r, (size_t)at, '3', items[i].description);
        add_subfield(r, (size_t)at, 'j', core_item_status_name(items[i].status));
    }
    free(items);
    return CORE_OK;
}

/* Add the holdings and items of bib `mms` to r. */
static int
embed_holdings(struct core_repo *repo, const char *mms, struct marc_record *r,
               struct marc_record *h)
{
    struct core_holdings_info *list;
    size_t n;
    int rc = core_holdings_list(repo, mms, &list, &n);
    struct marc_buf tmp = MARC_BUF_INIT;
    for (size_t k = 0; rc == CORE_OK && k < n; k++) {
        rc = core_record_get(repo, list[k].mms, h, NULL);
        char link[24];
        snprintf(link, sizeof link, "%zu", k + 1);
        size_t nf = rc == CORE_OK ? marc_record_field_count(h) : 0;
        for (size_t i = 0; i < nf; i++) {
            const struct marc_field *f = marc_record_field(h, i);
            if (marc_field_is_control(f) || !embedded_tag(marc_field_tag(f)))
                continue;
            size_t len;
            const char *body = marc_field_data(f, &len);
            add_linked(r, marc_field_tag(f), body, len, link, &tmp);
        }
        if (rc == CORE_OK)
            rc = embed_items(repo, r, list[k].mms, k + 1);
    }
    marc_buf_free(&tmp);
    free(list);
    return rc;
}

/* The writer's problems, kept for a message (errors) or passed on. */
struct write_sink {
    const struct core_export_opts *o;
    char first_error[320];
};

static void
write_diag(void *ctx, const struct marc_diag *d)
{
    struct write_sink *s = ctx;
    if (d->severity == MARC_SEV_ERROR && !s->first_error[0])
        snprintf(s->first_error, sizeof s->first_error, "%s", d->message);
    if (s->o->diag)
        s->o->diag(s->o->diag_ctx, d);
}

static int
export_one(struct core_repo *repo, struct marc_writer *w, const char *mms, long number,
           struct marc_record *r, struct marc_record *h, const struct core_export_opts *o)
{
    struct core_record_info info;
    int rc = core_record_get(repo, mms, r, &info);
    if (rc != CORE_OK)
        return rc;
    if (info.deleted)
        return repo_fail(repo, CORE_ERR_NOTFOUND, "%s was deleted; it has nothing to export", mms);
    if (o->with_holdings && info.type == CORE_MMS_BIB) {
        rc = embed_holdings(repo, mms, r, h);
        if (rc != CORE_OK)
            return rc;
    }
    struct write_sink sink = {.o = o};
    struct marc_decode_ctx ctx = {
        .record = number, .offset = -1, .diag = write_diag, .diag_ctx = &sink};
    int wr = marc_writer_write(w, r, &ctx);
    if (wr == MARC_ERR_IO)
        return repo_fail(repo, CORE_ERR_IO, "writing %s failed", mms);
    if (wr != MARC_OK)
        return repo_fail(repo, CORE_ERR_INVALID, "%s cannot be written as %s: %s", mms,
                         marc_format_name(o->write.format), sink.first_error);
    return CORE_OK;
}

int
core_export_ids(struct core_repo *repo, const char *const *mms, size_t n, FILE *fp,
                const struct core_export_opts *o, long *written)
{
    *written = 0;
    char *cause = NULL;
    struct marc_writer *w = marc_writer_new(fp, &o->write, &cause);
    if (!w) {
        int rc = repo_fail(repo, CORE_ERR_USER, "%s", cause ? cause : "cannot write");
        free(cause);
        return rc;
    }
    struct marc_record *r = marc_record_new();
    struct marc_record *h = marc_record_new();
    int rc = CORE_OK;
    for (size_t i = 0; rc == CORE_OK && i < n; i++)
        rc = export_one(repo, w, mms[i], (long)i + 1, r, h, o);
    if (rc == CORE_OK && marc_writer_finish(w) != MARC_OK)
        rc = repo_fail(repo, CORE_ERR_IO, "writing the records failed");
    *written = marc_writer_count(w);
    marc_writer_free(w);
    marc_record_free(r);
    marc_record_free(h);
    return rc;
}

int
core_export_query(struct core_repo *repo, const char *query, const struct core_search_opts *so,
                  FILE *fp, const struct core_export_opts *o, long *written)
{
    *written = 0;
    struct core_search_opts page = *so;
    page.limit = 1000;
    page.offset = 0;
    page.count = false;
    char **ids = NULL;
    size_t n = 0, cap = 0;
    int rc;
    for (;;) {
        struct core_results res = {0};
        rc = core_search(repo, query, &page, &res);
        if (rc != CORE_OK)
            break;
        for (size_t i = 0; i < res.n; i++) {
            if (n == cap) {
                cap = cap ? cap * 2 : 1024;
                ids = xrealloc(ids, cap * sizeof *ids);
            }
            ids[n++] = xstrdup(res.hits[i].mms);
        }
        size_t got = res.n;
        core_results_free(&res);
        if (got < page.limit)
            break;
        page.offset += got;
    }
    if (rc == CORE_OK)
        rc = core_export_ids(repo, (const char *const *)ids, n, fp, o, written);
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    return rc;
}
