/*
 * fixed-tables.c - MARC 21 fixed-field positions (see fixed-tables.h),
 * written from the Library of Congress MARC 21 Format for Bibliographic
 * Data and Format for Holdings Data.
 */
#include "fixed-tables.h"

#include <stdbool.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct fx_elem leader_bib[] = {
    {0, 5, "Record length", ""},
    {5, 1, "Record status", "a=Increase in encoding level|c=Corrected or revised|d=Deleted|n=New|p=Increase from prepublication"},
    {6, 1, "Type of record", "a=Language material|c=Notated music|d=Manuscript notated music|e=Cartographic material|f=Manuscript cartographic material|g=Projected medium|i=Nonmusical sound recording|j=Musical sound recording|k=Two-dimensional nonprojectable graphic|m=Computer file|o=Kit|p=Mixed materials|r=Three-dimensional artifact|t=Manuscript language material"},
    {7, 1, "Bibliographic level", "a=Monographic component part|b=Serial component part|c=Collection|d=Subunit|i=Integrating resource|m=Monograph/Item|s=Serial"},
    {8, 1, "Type of control", "#=No specified type|a=Archival"},
    {9, 1, "Character coding scheme", "#=MARC-8|a=UCS/Unicode"},
    {10, 1, "Indicator count", "2"},
    {11, 1, "Subfield code count", "2"},
    {12, 5, "Base address of data", ""},
    {17, 1, "Encoding level", "#=Full level|1=Full, not examined|2=Less-than-full, not examined|3=Abbreviated|4=Core|5=Partial (preliminary)|7=Minimal|8=Prepublication|u=Unknown|z=Not applicable"},
    {18, 1, "Descriptive cataloging form", "#=Non-ISBD|a=AACR 2|c=ISBD punctuation omitted|i=ISBD punctuation included|n=Non-ISBD punctuation omitted|u=Unknown"},
    {19, 1, "Multipart resource record level", "#=Not specified|a=Set|b=Part with independent title|c=Part with dependent title"},
    {20, 1, "Length of the length-of-field portion", "4"},
    {21, 1, "Length of the starting-character-position portion", "5"},
    {22, 1, "Length of the implementation-defined portion", "0"},
    {23, 1, "Undefined", "0"},
};

static const struct fx_elem leader_hold[] = {
    {0, 5, "Record length", ""},
    {5, 1, "Record status", "c=Corrected or revised|d=Deleted|n=New"},
    {6, 1, "Type of record", "u=Unknown|v=Multipart item holdings|x=Single-part item holdings|y=Serial item holdings"},
    {7, 2, "Undefined", "##"},
    {9, 1, "Character coding scheme", "#=MARC-8|a=UCS/Unicode"},
    {10, 1, "Indicator count", "2"},
    {11, 1, "Subfield code count", "2"},
    {12, 5, "Base address of data", ""},
    {17, 1, "Encoding level", "1=Holdings level 1|2=Holdings level 2|3=Holdings level 3|4=Holdings level 4|5=Holdings level 4 with piece designation|m=Mixed level|u=Unknown|z=Other level"},
    {18, 1, "Item information in record", "i=Item information|n=No item information"},
    {19, 1, "Undefined", "#"},
    {20, 4, "Entry map", "4500"},
};

/* 008/00-17 and 35-39, the same for every kind of bibliographic material. */
#define BIB_008_HEAD                                                                               \
    {0, 6, "Date entered on file (yymmdd)", ""},                                                   \
    {6, 1, "Type of date / publication status",                                                    \
     "b=No dates; B.C.|c=Continuing, currently published|d=Continuing, ceased|e=Detailed date|"   \
     "i=Inclusive dates|k=Range of years of bulk|m=Multiple dates|n=Dates unknown|p=Distribution " \
     "and production|q=Questionable date|r=Reprint/reissue and original|s=Single known date|"      \
     "t=Publication and copyright|u=Continuing, status unknown|(fill)=No attempt to code"},           \
    {7, 4, "Date 1", ""}, {11, 4, "Date 2", ""},                                                   \
    {15, 3, "Place of publication (MARC country code)", ""}

#define BIB_008_TAIL                                                                               \
    {35, 3, "Language (MARC language code)", ""},                                                  \
    {38, 1, "Modified record", "#=Not modified|d=Dashed-on information omitted|o=Completely romanized|r=Completely romanized, printed cards in script|s=Shortened|x=Missing characters|(fill)=No attempt to code"}, \
    {39, 1, "Cataloging source", "#=National bibliographic agency|c=Cooperative cataloging program|d=Other|u=Unknown|(fill)=No attempt to code"}

static const struct fx_elem f008_books[] = {
    BIB_008_HEAD,
    {18, 4, "Illustrations (up to four)", "#=No illustrations|a=Illustrations|b=Maps|c=Portraits|d=Charts|e=Plans|f=Plates|g=Music|h=Facsimiles|i=Coats of arms|j=Genealogical tables|k=Forms|l=Samples|m=Phonodisc, phonowire, etc.|o=Photographs|p=Illuminations"},
    {22, 1, "Target audience", "#=Unknown or not specified|a=Preschool|b=Primary|c=Pre-adolescent|d=Adolescent|e=Adult|f=Specialized|g=General|j=Juvenile"},
    {23, 1, "Form of item", "#=None of the following|a=Microfilm|b=Microfiche|c=Microopaque|d=Large print|f=Braille|o=Online|q=Direct electronic|r=Regular print reproduction|s=Electronic"},
    {24, 4, "Nature of contents (up to four)", "#=No specified nature of contents|a=Abstracts/summaries|b=Bibliographies|c=Catalogs|d=Dictionaries|e=Encyclopedias|f=Handbooks|g=Legal articles|i=Indexes|j=Patent document|k=Discographies|l=Legislation|m=Theses|n=Surveys of literature|o=Reviews|p=Programmed texts|q=Filmographies|r=Directories|s=Statistics|t=Technical reports|u=Standards/specifications|v=Legal cases and case notes|w=Law reports and digests|y=Yearbooks|z=Treaties|2=Offprints|5=Calendars|6=Comics/graphic novels"},
    {28, 1, "Government publication", "#=Not a government publication|a=Autonomous or semi-autonomous component|c=Multilocal|f=Federal/national|i=International intergovernmental|l=Local|m=Multistate|o=Government publication-level undetermined|s=State, provincial, territorial, dependent, etc.|u=Unknown if item is government publication|z=Other"},
    {29, 1, "Conference publication", "0=Not a conference publication|1=Conference publication"},
    {30, 1, "Festschrift", "0=Not a festschrift|1=Festschrift"},
    {31, 1, "Index", "0=No index|1=Index present"},
    {32, 1, "Undefined", "#"},
    {33, 1, "Literary form", "0=Not fiction|1=Fiction|c=Comic strips|d=Dramas|e=Essays|f=Novels|h=Humor, satires, etc.|i=Letters|j=Short stories|m=Mixed forms|p=Poetry|s=Speeches|u=Unknown"},
    {34, 1, "Biography", "#=No biographical material|a=Autobiography|b=Individual biography|c=Collective biography|d=Contains biographical information"},
    BIB_008_TAIL,
};

static const struct fx_elem f008_serials[] = {
    BIB_008_HEAD,
    {18, 1, "Frequency", "#=No determinable frequency|a=Annual|b=Bimonthly|c=Semiweekly|d=Daily|e=Biweekly|f=Semiannual|g=Biennial|h=Triennial|i=Three times a week|j=Three times a month|k=Continuously updated|m=Monthly|q=Quarterly|s=Semimonthly|t=Three times a year|u=Unknown|w=Weekly|z=Other"},
    {19, 1, "Regularity", "n=Normalized irregular|r=Regular|u=Unknown|x=Completely irregular"},
    {20, 1, "Undefined", "#"},
    {21, 1, "Type of continuing resource", "#=None of the following|d=Updating database|g=Magazine|h=Blog|j=Journal|l=Updating loose-leaf|m=Monographic series|n=Newspaper|p=Periodical|r=Repository|s=Newsletter|t=Directory|w=Updating Web site"},
    {22, 1, "Form of original item", "#=None of the following|a=Microfilm|b=Microfiche|c=Microopaque|d=Large print|e=Newspaper format|f=Braille|o=Online|q=Direct electronic|s=Electronic"},
    {23, 1, "Form of item", "#=None of the following|a=Microfilm|b=Microfiche|c=Microopaque|d=Large print|f=Braille|o=Online|q=Direct electronic|r=Regular print reproduction|s=Electronic"},
    {24, 1, "Nature of entire work", "#=Not specified|a=Abstracts/summaries|b=Bibliographies|c=Catalogs|d=Dictionaries|e=Encyclopedias|f=Handbooks|g=Legal articles|h=Biography|i=Indexes|k=Discographies|l=Legislation|m=Theses|n=Surveys of literature|o=Reviews|p=Programmed texts|q=Filmographies|r=Directories|s=Statistics|t=Technical reports|u=Standards/specifications|v=Legal cases and case notes|w=Law reports and digests|y=Yearbooks|z=Treaties|5=Calendars|6=Comics/graphic novels"},
    {25, 3, "Nature of contents (up to three)", "#=Not specified|a=Abstracts/summaries|b=Bibliographies|c=Catalogs|d=Dictionaries|e=Encyclopedias|f=Handbooks|g=Legal articles|h=Biography|i=Indexes|k=Discographies|l=Legislation|m=Theses|n=Surveys of literature|o=Reviews|p=Programmed texts|q=Filmographies|r=Directories|s=Statistics|t=Technical reports|u=Standards/specifications|v=Legal cases and case notes|w=Law reports and digests|y=Yearbooks|z=Treaties|5=Calendars|6=Comics/graphic novels"},
    {28, 1, "Government publication", "#=Not a government publication|a=Autonomous or semi-autonomous component|c=Multilocal|f=Federal/national|i=International intergovernmental|l=Local|m=Multistate|o=Level undetermined|s=State, provincial, territorial|u=Unknown|z=Other"},
    {29, 1, "Conference publication", "0=Not a conference publication|1=Conference publication"},
    {30, 3, "Undefined", "###"},
    {33, 1, "Original alphabet or script of title", "#=No alphabet or script given|a=Basic Roman|b=Extended Roman|c=Cyrillic|d=Japanese|e=Chinese|f=Arabic|g=Greek|h=Hebrew|i=Thai|j=Devanagari|k=Korean|l=Tamil|u=Unknown|z=Other"},
    {34, 1, "Entry convention", "0=Successive entry|1=Latest entry|2=Integrated entry"},
    BIB_008_TAIL,
};

static const struct fx_elem f008_music[] = {
    BIB_008_HEAD,
    {18, 2, "Form of composition", "an=Anthems|bd=Ballads|bt=Ballets|bg=Bluegrass|bl=Blues|cn=Canons and rounds|ct=Cantatas|cz=Canzonas|cr=Carols|ca=Chaconnes|cs=Chance compositions|cp=Chansons, polyphonic|cc=Christian chants|cb=Chants, other religions|cl=Chorale preludes|ch=Chorales|cg=Concerti grossi|co=Concertos|cy=Country music|df=Dance forms|dv=Divertimentos|ft=Fantasias|fm=Folk music|fg=Fugues|gm=Gospel music|hy=Hymns|jz=Jazz|md=Madrigals|mr=Marches|ms=Masses|mz=Mazurkas|mi=Minuets|mo=Motets|mp=Motion picture music|mc=Musical revues and comedies|mu=Multiple forms|nc=Nocturnes|nn=Not applicable|op=Operas|or=Oratorios|ov=Overtures|pt=Part-songs|ps=Passacaglias|pm=Passion music|pv=Pavans|po=Polonaises|pp=Popular music|pr=Preludes|pg=Program music|rg=Ragtime music|rq=Requiems|rp=Rhapsodies|ri=Ricercars|rc=Rock music|rd=Rondos|sd=Square dance music|sn=Sonatas|sg=Songs|st=Studies and exercises|su=Suites|sp=Symphonic poems|sy=Symphonies|tc=Toccatas|ts=Trio-sonatas|uu=Unknown|vi=Villancicos|vr=Variations|wz=Waltzes|za=Zarzuelas|zz=Other"},
    {20, 1, "Format of music", "a=Full score|b=Miniature or study score|c=Accompaniment reduced for keyboard|d=Voice score with accompaniment omitted|e=Condensed score|g=Close score|h=Chorus score|i=Condensed score|j=Performer-conductor part|k=Vocal score|l=Score|m=Multiple score formats|n=Not applicable|p=Piano score|u=Unknown|z=Other"},
    {21, 1, "Music parts", "#=No parts in hand or not specified|d=Instrumental and vocal parts|e=Instrumental parts|f=Vocal parts|n=Not applicable|u=Unknown"},
    {22, 1, "Target audience", "#=Unknown or not specified|a=Preschool|b=Primary|c=Pre-adolescent|d=Adolescent|e=Adult|f=Specialized|g=General|j=Juvenile"},
    {23, 1, "Form of item", "#=None of the following|a=Microfilm|b=Microfiche|c=Microopaque|d=Large print|f=Braille|o=Online|q=Direct electronic|r=Regular print reproduction|s=Electronic"},
    {24, 6, "Accompanying matter (up to six)", "#=No accompanying matter|a=Discography|b=Bibliography|c=Thematic index|d=Libretto or text|e=Biography|f=History|g=Essays|h=Historical information|i=Technical information|j=Historical background|k=Ethnological information|l=Instrumental information|r=Instructional materials|s=Music|z=Other"},
    {30, 2, "Literary text for sound recordings", "#=Item is a music sound recording|a=Autobiography|b=Biography|c=Conference proceedings|d=Drama|e=Essays|f=Fiction|g=Reporting|h=History|i=Instruction|j=Language instruction|k=Comedy|l=Lectures, speeches|m=Memoirs|n=Not applicable|o=Folktales|p=Poetry|r=Rehearsals|s=Sounds|t=Interviews|z=Other"},
    {32, 1, "Undefined", "#"},
    {33, 1, "Transposition and arrangement", "#=Not arrangement or transposition|a=Transposition|b=Arrangement|c=Both|n=Not applicable|u=Unknown"},
    {34, 1, "Undefined", "#"},
    BIB_008_TAIL,
};

static const struct fx_table tables[] = {
    {"Leader (bibliographic)", 24, leader_bib, N(leader_bib)},
    {"Leader (holdings)", 24, leader_hold, N(leader_hold)},
    {"008 Books", 40, f008_books, N(f008_books)},
    {"008 Continuing resources", 40, f008_serials, N(f008_serials)},
    {"008 Music", 40, f008_music, N(f008_music)},
};

static bool
holdings(const char *leader)
{
    return leader[6] && strchr("uvxy", leader[6]);
}

const struct fx_table *
fx_table_for(const char *tag, const char *leader, const char *value)
{
    if (strcmp(tag, "LDR") == 0)
        return holdings(leader) ? &tables[1] : &tables[0];
    if (strcmp(tag, "008") != 0 || holdings(leader))
        return NULL;
    char type = leader[6], level = leader[7];
    if (type == 'c' || type == 'd' || type == 'i' || type == 'j')
        return &tables[4];
    if ((type == 'a' || type == 't') && (level == 'b' || level == 'i' || level == 's'))
        return &tables[3];
    if (type == 'a' || type == 't')
        return &tables[2];
    return NULL;
}
