/*
 * fuzz_serve.c - libFuzzer target: what `colophon serve` does with a
 * request from the network (serve-int.h), on a real repository.
 *
 * The input is what a client sends: a BER-encoded Z39.50 APDU or an HTTP
 * request (SRU GET/POST, SRW SOAP), decoded with libyaz's z_GDU as the GFS
 * decodes it.  Then it goes where serve.c's handlers send it:
 *   - a searchRequest's query (type-1/101 RPN or type-104 CQL) through
 *     serve_rpn_to_query / serve_cql_to_query, and what they make through
 *     core_search, as serve_search does; its database names through
 *     serve_database_ok;
 *   - an SRU searchRetrieve's CQL query likewise;
 *   - an extendedServicesRequest through serve_update, first as a
 *     read-only server and as an anonymous session (both must refuse with
 *     diagnostic 222 and change nothing), then logged in with updates
 *     allowed (the records it inserts or replaces are really written).
 * The GFS itself (the socket, the session, present and fetch) is libyaz's
 * code and is not run here.
 *
 * Oracles beyond "no crash": a translation gives a query or a diagnostic,
 * never both or neither; the search runs a query it gives or refuses it as
 * the user's error, never with a database error (no client text reaches SQL
 * as syntax); an update gives a task package or a diagnostic with a reason.
 */
#include "fuzz-repo.h"
#include "fuzz-util.h"

#include "search.h"
#include "serve-int.h"

#include <stdlib.h>
#include <string.h>
#include <yaz/diagbib1.h>
#include <yaz/log.h>
#include <yaz/srw.h>
#include <yaz/zgdu.h>

static const char *
set_query(void *ctx, const char *name)
{
    (void)ctx;
    return name && strcmp(name, "default") == 0 ? "title=summer" : NULL;
}

static void
check_translation(int rc, char *query, int diag, char *addinfo, const char *what)
{
    FUZZ_CHECK((rc == CORE_OK) == (query != NULL), "%s: returned %d with %s query", what, rc,
               query ? "a" : "no");
    if (rc != CORE_OK) {
        FUZZ_CHECK(rc == CORE_ERR_USER && diag > 0, "%s: failed (%d) without a diagnostic (%d)",
                   what, rc, diag);
        free(addinfo);
        return;
    }
    /* A translation may still be refused by the search (a truncated word
     * of one letter, say): the server answers that with diagnostic 108
     * and the parser's message, as serve_search does. */
    struct core_repo *repo = fuzz_repo();
    struct core_search_opts o = {.zone = CORE_ZONE_IZ, .limit = 10, .count = true};
    struct core_results res = {0};
    int src = core_search(repo, query, &o, &res);
    FUZZ_CHECK(src == CORE_OK || src == CORE_ERR_USER, "%s: search [%s] failed with %d: %s", what,
               query, src, core_repo_errmsg(repo));
    if (src == CORE_OK)
        core_results_free(&res);
    free(query);
    free(addinfo);
}

static void
search_request(const Z_SearchRequest *sr)
{
    for (int i = 0; i < sr->num_databaseNames; i++)
        (void)serve_database_ok(fuzz_repo(), CORE_ZONE_IZ, sr->databaseNames[i]);
    const Z_Query *q = sr->query;
    char *query = NULL, *addinfo = NULL;
    int diag = 0;
    if (q && (q->which == Z_Query_type_1 || q->which == Z_Query_type_101)) {
        int rc = serve_rpn_to_query(q->u.type_1, set_query, NULL, &query, &diag, &addinfo);
        check_translation(rc, query, diag, addinfo, "RPN");
    } else if (q && q->which == Z_Query_type_104 && q->u.type_104->which == Z_External_CQL) {
        int rc = serve_cql_to_query(q->u.type_104->u.cql, &query, &diag, &addinfo);
        check_translation(rc, query, diag, addinfo, "CQL");
    }
}

static void
update(const Z_ExtendedServicesRequest *esr, ODR o)
{
    struct serve_update_ctx c = {.repo = fuzz_repo(), .zone = CORE_ZONE_IZ};
    for (int pass = 0; pass < 3; pass++) {
        c.allow_update = pass != 0;
        c.logged_in = pass != 1;
        Z_TaskPackage *tp = NULL;
        char *addinfo = NULL;
        int diag = 0;
        int rc = serve_update(&c, esr->taskSpecificParameters, o, esr->packageType, &tp, &diag,
                              &addinfo);
        if (rc == CORE_OK) {
            FUZZ_CHECK(pass == 2, "update accepted %s",
                       pass ? "from an anonymous session" : "by a read-only server");
            FUZZ_CHECK(tp != NULL && diag == 0, "update succeeded without a task package");
        } else {
            FUZZ_CHECK(rc == CORE_ERR_USER && diag > 0 && addinfo && *addinfo,
                       "update failed (%d) without a diagnostic (%d) and a reason", rc, diag);
            FUZZ_CHECK(pass == 2 || diag == YAZ_BIB1_ES_PERMISSION_DENIED_ON_ES_ID_NOT_AUTHORIZED ||
                           diag == YAZ_BIB1_ES_EXTENDED_SERVICE_TYPE_UNSUPP,
                       "update refused with %d, not 222, %s", diag,
                       pass ? "from an anonymous session" : "by a read-only server");
        }
        free(addinfo);
    }
}

static void
sru_request(Z_HTTP_Request *hreq, ODR o)
{
    Z_SRW_PDU *pdu = NULL;
    Z_SOAP *soap = NULL;
    char *charset = NULL;
    Z_SRW_diagnostic *diags = NULL;
    int ndiags = 0;
    if (yaz_srw_decode(hreq, &pdu, &soap, o, &charset) != 0 &&
        yaz_sru_decode(hreq, &pdu, &soap, o, &charset, &diags, &ndiags) != 0)
        return;
    if (!pdu || pdu->which != Z_SRW_searchRetrieve_request)
        return;
    const Z_SRW_searchRetrieveRequest *sr = pdu->u.request;
    if (!sr->query || (sr->queryType && strcmp(sr->queryType, "cql") != 0))
        return;
    char *query = NULL, *addinfo = NULL;
    int diag = 0;
    int rc = serve_cql_to_query(sr->query, &query, &diag, &addinfo);
    check_translation(rc, query, diag, addinfo, "SRU CQL");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 200000)
        return 0;
    static bool quiet;
    if (!quiet) {
        yaz_log_init_level(0); /* serve_update logs each update, as the server should */
        quiet = true;
    }
    ODR o = odr_createmem(ODR_DECODE);
    odr_setbuf(o, (char *)data, (int)size, 0);
    Z_GDU *gdu = NULL;
    if (z_GDU(o, &gdu, 0, 0) && gdu) {
        if (gdu->which == Z_GDU_Z3950 && gdu->u.z3950) {
            Z_APDU *apdu = gdu->u.z3950;
            if (apdu->which == Z_APDU_searchRequest)
                search_request(apdu->u.searchRequest);
            else if (apdu->which == Z_APDU_extendedServicesRequest)
                update(apdu->u.extendedServicesRequest, o);
        } else if (gdu->which == Z_GDU_HTTP_Request && gdu->u.HTTP_Request) {
            sru_request(gdu->u.HTTP_Request, o);
        }
    }
    odr_destroy(o);
    return 0;
}
