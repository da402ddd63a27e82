/*
 * fixed-tables.c - MARC 21 fixed-field positions (see fixed-tables.h),
 * written from the Library of Congress MARC 21 Format for Bibliographic
 * Data (Leader, 006, 007, 008) and Format for Holdings Data (Leader, 007,
 * 008).
 *
 * The 008/18-34 elements of each kind of material are written once, as a
 * macro taking the position of their first character: 18 in the 008, 1 in
 * the 006, whose positions 01-17 are the same elements (LC: "006/01-17
 * correspond to 008/18-34").  Values are "code=Label|code=Label"; '#' is a
 * blank, "(fill)" the fill character '|' (which separates the entries).
 * Labels are at most 36 columns: the form lines them up in a column of
 * that width (tests/tui/test_fixed_tables.c checks it).
 */
#include "fixed-tables.h"

#include <stdbool.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- value lists shared by several elements ---- */

#define FILL "|(fill)=No attempt to code"
#define V_AUDIENCE                                                                                 \
    "#=Unknown or not specified|a=Preschool|b=Primary|c=Pre-adolescent|d=Adolescent|e=Adult|"     \
    "f=Specialized|g=General|j=Juvenile" FILL
#define V_FORM_ITEM                                                                                \
    "#=None of the following|a=Microfilm|b=Microfiche|c=Microopaque|d=Large print|f=Braille|"     \
    "o=Online|q=Direct electronic|r=Regular print reproduction|s=Electronic" FILL
#define V_GOVPUB                                                                                   \
    "#=Not a government publication|a=Autonomous or semi-autonomous component|c=Multilocal|"      \
    "f=Federal/national|i=International intergovernmental|l=Local|m=Multistate|"                 \
    "o=Government publication-level undetermined|s=State, provincial, territorial, dependent, "   \
    "etc.|u=Unknown if item is government publication|z=Other" FILL
#define V_CONFERENCE "0=Not a conference publication|1=Conference publication" FILL
#define V_INDEX "0=No index|1=Index present" FILL
#define V_UNDEF "#=Undefined" FILL
#define V_CONTENTS_COMMON                                                                          \
    "a=Abstracts/summaries|b=Bibliographies|c=Catalogs|d=Dictionaries|e=Encyclopedias|"           \
    "f=Handbooks|g=Legal articles|"
#define V_CONTENTS_REST                                                                            \
    "i=Indexes|k=Discographies|l=Legislation|m=Theses|n=Surveys of literature in a subject "      \
    "area|o=Reviews|p=Programmed texts|q=Filmographies|r=Directories|s=Statistics|"               \
    "t=Technical reports|u=Standards/specifications|v=Legal cases and case notes|"                \
    "w=Law reports and digests|y=Yearbooks|z=Treaties|"
/* 007 */
#define V_SOUND_ON "#=No sound (silent)|a=Sound on medium|b=Sound separate from medium|u=Unknown" FILL
#define V_SOUND_MEDIUM                                                                             \
    "#=No sound (silent)|a=Optical sound track on motion picture film|b=Magnetic sound track "    \
    "on motion picture film|c=Magnetic audio tape in cartridge|d=Sound disc|e=Magnetic audio "   \
    "tape on reel|f=Magnetic audio tape in cassette|g=Optical and magnetic sound track on "       \
    "motion picture film|h=Videotape|i=Videodisc|u=Unknown|z=Other" FILL
#define V_PLAYBACK                                                                                 \
    "k=Mixed|m=Monaural|n=Not applicable|q=Quadraphonic, multichannel, or surround|"              \
    "s=Stereophonic|u=Unknown|z=Other" FILL
#define V_FILM_BASE                                                                                \
    "a=Safety base, undetermined|c=Safety base, acetate undetermined|d=Safety base, diacetate|"   \
    "i=Nitrate base|m=Mixed base (nitrate and safety)|n=Not applicable|p=Safety base, "           \
    "polyester|r=Safety base, mixed|t=Safety base, triacetate|u=Unknown|z=Other" FILL
#define V_PHYS_MEDIUM_GLOBE                                                                        \
    "a=Paper|b=Wood|c=Stone|d=Metal|e=Synthetic|f=Skin|g=Textile|i=Plastic|l=Vinyl|n=Vellum|"     \
    "p=Plaster|u=Unknown|v=Leather|w=Parchment|z=Other" FILL
#define V_SUPPORT                                                                                  \
    "a=Canvas|b=Bristol board|c=Cardboard/illustration board|d=Glass|e=Synthetic|f=Skin|"         \
    "g=Textile|h=Metal|i=Plastic|l=Vinyl|m=Mixed collection|n=Vellum|o=Paper|p=Plaster|"          \
    "q=Hardboard|r=Porcelain|s=Stone|t=Wood|u=Unknown|v=Leather|w=Parchment|z=Other" FILL
#define V_REPRODUCTION "f=Facsimile|n=Not applicable|u=Unknown|z=Other" FILL

/* ---- leaders ---- */

static const struct fx_elem leader_bib[] = {
    {0, 5, "Record length", ""},
    {5, 1, "Record status", "a=Increase in encoding level|c=Corrected or revised|d=Deleted|n=New|p=Increase in encoding level from prepublication"},
    {6, 1, "Type of record", "a=Language material|c=Notated music|d=Manuscript notated music|e=Cartographic material|f=Manuscript cartographic material|g=Projected medium|i=Nonmusical sound recording|j=Musical sound recording|k=Two-dimensional nonprojectable graphic|m=Computer file|o=Kit|p=Mixed materials|r=Three-dimensional artifact or naturally occurring object|t=Manuscript language material"},
    {7, 1, "Bibliographic level", "a=Monographic component part|b=Serial component part|c=Collection|d=Subunit|i=Integrating resource|m=Monograph/Item|s=Serial"},
    {8, 1, "Type of control", "#=No specified type|a=Archival"},
    {9, 1, "Character coding scheme", "#=MARC-8|a=UCS/Unicode"},
    {10, 1, "Indicator count", "2=Number of character positions used for indicators"},
    {11, 1, "Subfield code count", "2=Number of character positions used for a subfield code"},
    {12, 5, "Base address of data", ""},
    {17, 1, "Encoding level", "#=Full level|1=Full level, material not examined|2=Less-than-full level, material not examined|3=Abbreviated level|4=Core level|5=Partial (preliminary) level|7=Minimal level|8=Prepublication level|u=Unknown|z=Not applicable"},
    {18, 1, "Descriptive cataloging form", "#=Non-ISBD|a=AACR 2|c=ISBD punctuation omitted|i=ISBD punctuation included|n=Non-ISBD punctuation omitted|u=Unknown"},
    {19, 1, "Multipart resource record level", "#=Not specified or not applicable|a=Set|b=Part with independent title|c=Part with dependent title"},
    {20, 1, "Length of length-of-field portion", "4=Number of characters in the length-of-field portion"},
    {21, 1, "Length of starting-character-pos.", "5=Number of characters in the starting-character-position portion"},
    {22, 1, "Length of implementation-defined", "0=Number of characters in the implementation-defined portion"},
    {23, 1, "Undefined", "0=Undefined"},
};

static const struct fx_elem leader_hold[] = {
    {0, 5, "Record length", ""},
    {5, 1, "Record status", "c=Corrected or revised|d=Deleted|n=New"},
    {6, 1, "Type of record", "u=Unknown|v=Multipart item holdings|x=Single-part item holdings|y=Serial item holdings"},
    {7, 2, "Undefined", "##=Undefined"},
    {9, 1, "Character coding scheme", "#=MARC-8|a=UCS/Unicode"},
    {10, 1, "Indicator count", "2=Number of character positions used for indicators"},
    {11, 1, "Subfield code count", "2=Number of character positions used for a subfield code"},
    {12, 5, "Base address of data", ""},
    {17, 1, "Encoding level", "1=Holdings level 1|2=Holdings level 2|3=Holdings level 3|4=Holdings level 4|5=Holdings level 4 with piece designation|m=Mixed level|u=Unknown|z=Other level"},
    {18, 1, "Item information in record", "i=Item information|n=No item information"},
    {19, 1, "Undefined", "#=Undefined"},
    {20, 1, "Length of length-of-field portion", "4=Number of characters in the length-of-field portion"},
    {21, 1, "Length of starting-character-pos.", "5=Number of characters in the starting-character-position portion"},
    {22, 1, "Length of implementation-defined", "0=Number of characters in the implementation-defined portion"},
    {23, 1, "Undefined", "0=Undefined"},
};

/* ---- 008 (and 006) by kind of material ---- */

/* 008/00-17, the same for every kind of bibliographic material. */
#define BIB_008_HEAD                                                                               \
    {0, 6, "Date entered on file (yymmdd)", ""},                                                   \
    {6, 1, "Type of date/Publication status",                                                     \
     "b=No dates given; B.C. date involved|c=Continuing resource currently published|"            \
     "d=Continuing resource ceased publication|e=Detailed date|i=Inclusive dates of collection|"  \
     "k=Range of years of bulk of collection|m=Multiple dates|n=Dates unknown|p=Date of "         \
     "distribution/release/issue and production/recording session when different|"               \
     "q=Questionable date|r=Reprint/reissue date and original date|s=Single known "               \
     "date/probable date|t=Publication date and copyright date|u=Continuing resource status "    \
     "unknown" FILL},                                                                              \
    {7, 4, "Date 1", "0-9=Date digit|#=Not applicable|u=Unknown digit" FILL},                      \
    {11, 4, "Date 2", "0-9=Date digit|#=Not applicable|u=Unknown digit" FILL},                     \
    {15, 3, "Place of publication (country)", "abc=MARC Code List for Countries (a two-letter code ends in a blank)|vp#=Various places|xx#=No place, unknown, or undetermined" FILL}

/* 008/35-39, the same for every kind of bibliographic material. */
#define BIB_008_TAIL                                                                               \
    {35, 3, "Language", "xxx=MARC Code List for Languages|###=No information provided|zxx=No linguistic content|mul=Multiple languages|sgn=Sign languages|und=Undetermined" FILL}, \
    {38, 1, "Modified record",                                                                     \
     "#=Not modified|d=Dashed-on information omitted|o=Completely romanized/printed cards "       \
     "romanized|r=Completely romanized/printed cards in script|s=Shortened|x=Missing "            \
     "characters" FILL},                                                                           \
    {39, 1, "Cataloging source",                                                                   \
     "#=National bibliographic agency|c=Cooperative cataloging program|d=Other|u=Unknown" FILL}

/* Books: 008/18-34, 006/01-17 (leader/06 a or t). */
#define BOOKS(B)                                                                                   \
    {B + 0, 4, "Illustrations (up to four)", "#=No illustrations|a=Illustrations|b=Maps|c=Portraits|d=Charts|e=Plans|f=Plates|g=Music|h=Facsimiles|i=Coats of arms|j=Genealogical tables|k=Forms|l=Samples|m=Phonodisc, phonowire, etc.|o=Photographs|p=Illuminations" FILL}, \
    {B + 4, 1, "Target audience", V_AUDIENCE},                                                     \
    {B + 5, 1, "Form of item", V_FORM_ITEM},                                                       \
    {B + 6, 4, "Nature of contents (up to four)", "#=No specified nature of contents|" V_CONTENTS_COMMON V_CONTENTS_REST "j=Patent document|2=Offprints|5=Calendars|6=Comics/graphic novels" FILL}, \
    {B + 10, 1, "Government publication", V_GOVPUB},                                               \
    {B + 11, 1, "Conference publication", V_CONFERENCE},                                           \
    {B + 12, 1, "Festschrift", "0=Not a festschrift|1=Festschrift" FILL},                          \
    {B + 13, 1, "Index", V_INDEX},                                                                 \
    {B + 14, 1, "Undefined", V_UNDEF},                                                             \
    {B + 15, 1, "Literary form", "0=Not fiction (not further specified)|1=Fiction (not further specified)|d=Dramas|e=Essays|f=Novels|h=Humor, satires, etc.|i=Letters|j=Short stories|m=Mixed forms|p=Poetry|s=Speeches|u=Unknown" FILL}, \
    {B + 16, 1, "Biography", "#=No biographical material|a=Autobiography|b=Individual biography|c=Collective biography|d=Contains biographical information" FILL}

/* Continuing resources (leader/06 a, leader/07 b, i or s; 006/00 s). */
#define SERIALS(B)                                                                                 \
    {B + 0, 1, "Frequency", "#=No determinable frequency|a=Annual|b=Bimonthly|c=Semiweekly|d=Daily|e=Biweekly|f=Semiannual|g=Biennial|h=Triennial|i=Three times a week|j=Three times a month|k=Continuously updated|m=Monthly|q=Quarterly|s=Semimonthly|t=Three times a year|u=Unknown|w=Weekly|z=Other" FILL}, \
    {B + 1, 1, "Regularity", "n=Normalized irregular|r=Regular|u=Unknown|x=Completely irregular" FILL}, \
    {B + 2, 1, "Undefined", V_UNDEF},                                                              \
    {B + 3, 1, "Type of continuing resource", "#=None of the following|d=Updating database|g=Magazine|h=Blog|j=Journal|l=Updating loose-leaf|m=Monographic series|n=Newspaper|p=Periodical|r=Repository|s=Newsletter|t=Directory|w=Updating Web site" FILL}, \
    {B + 4, 1, "Form of original item", "#=None of the following|a=Microfilm|b=Microfiche|c=Microopaque|d=Large print|e=Newspaper format|f=Braille|o=Online|q=Direct electronic|s=Electronic" FILL}, \
    {B + 5, 1, "Form of item", V_FORM_ITEM},                                                       \
    {B + 6, 1, "Nature of entire work", "#=No specified nature of entire work|" V_CONTENTS_COMMON "h=Biography|" V_CONTENTS_REST "5=Calendars|6=Comics/graphic novels" FILL}, \
    {B + 7, 3, "Nature of contents (up to three)", "#=No specified nature of contents|" V_CONTENTS_COMMON "h=Biography|" V_CONTENTS_REST "5=Calendars|6=Comics/graphic novels" FILL}, \
    {B + 10, 1, "Government publication", V_GOVPUB},                                              \
    {B + 11, 1, "Conference publication", V_CONFERENCE},                                           \
    {B + 12, 3, "Undefined", "###=Undefined" FILL},                                                \
    {B + 15, 1, "Original alphabet/script of title", "#=No alphabet or script given/No key title|a=Basic Roman|b=Extended Roman|c=Cyrillic|d=Japanese|e=Chinese|f=Arabic|g=Greek|h=Hebrew|i=Thai|j=Devanagari|k=Korean|l=Tamil|u=Unknown|z=Other" FILL}, \
    {B + 16, 1, "Entry convention", "0=Successive entry|1=Latest entry|2=Integrated entry" FILL}

/* Music (leader/06 c, d, i, j). */
#define MUSIC(B)                                                                                   \
    {B + 0, 2, "Form of composition", "an=Anthems|bd=Ballads|bg=Bluegrass music|bl=Blues|bt=Ballets|ca=Chaconnes|cb=Chants, Other religions|cc=Chant, Christian|cg=Concerti grossi|ch=Chorales|cl=Chorale preludes|cn=Canons and rounds|co=Concertos|cp=Chansons, polyphonic|cr=Carols|cs=Chance compositions|ct=Cantatas|cy=Country music|cz=Canzonas|df=Dance forms|dv=Divertimentos, serenades, cassations, divertissements, and notturni|fg=Fugues|fl=Flamenco|fm=Folk music|ft=Fantasias|gm=Gospel music|hy=Hymns|jz=Jazz|mc=Musical revues and comedies|md=Madrigals|mi=Minuets|mo=Motets|mp=Motion picture music|mr=Marches|ms=Masses|mu=Multiple forms|mz=Mazurkas|nc=Nocturnes|nn=Not applicable|op=Operas|or=Oratorios|ov=Overtures|pg=Program music|pm=Passion music|po=Polonaises|pp=Popular music|pr=Preludes|ps=Passacaglias|pt=Part-songs|pv=Pavans|rc=Rock music|rd=Rondos|rg=Ragtime music|ri=Ricercars|rp=Rhapsodies|rq=Requiems|sd=Square dance music|sg=Songs|sn=Sonatas|sp=Symphonic poems|st=Studies and exercises|su=Suites|sy=Symphonies|tc=Toccatas|tl=Teatro lirico|ts=Trio-sonatas|uu=Unknown|vi=Villancicos|vr=Variations|wz=Waltzes|za=Zarzuelas|zz=Other|(fill)(fill)=No attempt to code"}, \
    {B + 2, 1, "Format of music", "a=Full score|b=Miniature or study score|c=Accompaniment reduced for keyboard|d=Voice score with accompaniment omitted|e=Condensed score or piano-conductor score|g=Close score|h=Chorus score|i=Condensed score|j=Performer-conductor part|k=Vocal score|l=Score|m=Multiple score formats|n=Not applicable|p=Piano score|u=Unknown|z=Other" FILL}, \
    {B + 3, 1, "Music parts", "#=No parts in hand or not specified|d=Instrumental and vocal parts|e=Instrumental parts|f=Vocal parts|n=Not applicable|u=Unknown" FILL}, \
    {B + 4, 1, "Target audience", V_AUDIENCE},                                                     \
    {B + 5, 1, "Form of item", V_FORM_ITEM},                                                       \
    {B + 6, 6, "Accompanying matter (up to six)", "#=No accompanying matter|a=Discography|b=Bibliography|c=Thematic index|d=Libretto or text|e=Biography of composer or author|f=Biography of performer or history of ensemble|g=Technical and/or historical information on instruments|h=Technical information on music|i=Historical information|k=Ethnological information|r=Instructional materials|s=Music|z=Other" FILL}, \
    {B + 12, 2, "Literary text for sound recordings", "#=Item is a music sound recording|a=Autobiography|b=Biography|c=Conference proceedings|d=Drama|e=Essays|f=Fiction|g=Reporting|h=History|i=Instruction|j=Language instruction|k=Comedy|l=Lectures, speeches|m=Memoirs|n=Not applicable|o=Folktales|p=Poetry|r=Rehearsals|s=Sounds|t=Interviews|z=Other" FILL}, \
    {B + 14, 1, "Undefined", V_UNDEF},                                                             \
    {B + 15, 1, "Transposition and arrangement", "#=Not arrangement or transposition or not specified|a=Transposition|b=Arrangement|c=Both transposed and arranged|n=Not applicable|u=Unknown" FILL}, \
    {B + 16, 1, "Undefined", V_UNDEF}

/* Maps (leader/06 e, f). */
#define MAPS(B)                                                                                    \
    {B + 0, 4, "Relief (up to four)", "#=No relief shown|a=Contours|b=Shading|c=Gradient and bathymetric tints|d=Hachures|e=Bathymetry/soundings|f=Form lines|g=Spot heights|i=Pictorially|j=Land forms|k=Bathymetry/isolines|m=Rock drawings|z=Other" FILL}, \
    {B + 4, 2, "Projection", "##=Projection not specified|aa=Aitoff|ab=Gnomic|ac=Lambert's azimuthal equal area|ad=Orthographic|ae=Azimuthal equidistant|af=Stereographic|ag=General vertical near-sided|am=Modified stereographic for Alaska|an=Chamberlin trimetric|ap=Polar stereographic|au=Azimuthal, specific type unknown|az=Azimuthal, other|ba=Gall|bb=Goode's homolographic|bc=Lambert's cylindrical equal area|bd=Mercator|be=Miller|bf=Mollweide|bg=Sinusoidal|bh=Transverse Mercator|bi=Gauss-Kruger|bj=Equirectangular|bk=Krovak|bl=Cassini-Soldner|bo=Oblique Mercator|br=Robinson|bs=Space oblique Mercator|bu=Cylindrical, specific type unknown|bz=Cylindrical, other|ca=Albers equal area|cb=Bonne|cc=Lambert's conformal conic|ce=Equidistant conic|cp=Polyconic|cu=Conic, specific type unknown|cz=Conic, other|da=Armadillo|db=Butterfly|dc=Eckert|dd=Goode's homolosine|de=Miller's bipolar oblique conformal conic|df=Van Der Grinten|dg=Dymaxion|dh=Cordiform|dl=Lambert conformal|uu=Unknown|zz=Other|(fill)(fill)=No attempt to code"}, \
    {B + 6, 1, "Undefined", V_UNDEF},                                                              \
    {B + 7, 1, "Type of cartographic material", "a=Single map|b=Map series|c=Map serial|d=Globe|e=Atlas|f=Separate supplement to another work|g=Bound as part of another work|u=Unknown|z=Other" FILL}, \
    {B + 8, 2, "Undefined", "##=Undefined" FILL},                                                  \
    {B + 10, 1, "Government publication", V_GOVPUB},                                              \
    {B + 11, 1, "Form of item", V_FORM_ITEM},                                                      \
    {B + 12, 1, "Undefined", V_UNDEF},                                                             \
    {B + 13, 1, "Index", V_INDEX},                                                                 \
    {B + 14, 1, "Undefined", V_UNDEF},                                                             \
    {B + 15, 2, "Special format characteristics", "#=No specified special format characteristics|e=Manuscript|j=Picture card, post card|k=Calendar|l=Puzzle|n=Game|o=Wall map|p=Playing cards|r=Loose-leaf|z=Other" FILL}

/* Visual materials (leader/06 g, k, o, r). */
#define VISUAL(B)                                                                                  \
    {B + 0, 3, "Running time (minutes)", "000=Running time exceeds three characters|001-999=Running time in minutes|---=Running time unknown|nnn=Not applicable|(fill)(fill)(fill)=No attempt to code"}, \
    {B + 3, 1, "Undefined", V_UNDEF},                                                              \
    {B + 4, 1, "Target audience", V_AUDIENCE},                                                     \
    {B + 5, 5, "Undefined", "#####=Undefined" FILL},                                               \
    {B + 10, 1, "Government publication", V_GOVPUB},                                              \
    {B + 11, 1, "Form of item", V_FORM_ITEM},                                                      \
    {B + 12, 3, "Undefined", "###=Undefined" FILL},                                                \
    {B + 15, 1, "Type of visual material", "a=Art original|b=Kit|c=Art reproduction|d=Diorama|f=Filmstrip|g=Game|i=Picture|k=Graphic|l=Technical drawing|m=Motion picture|n=Chart|o=Flash card|p=Microscope slide|q=Model|r=Realia|s=Slide|t=Transparency|v=Videorecording|w=Toy|z=Other" FILL}, \
    {B + 16, 1, "Technique", "a=Animation|c=Animation and live action|l=Live action|n=Not applicable|u=Unknown|z=Other" FILL}

/* Computer files (leader/06 m). */
#define COMPUTER(B)                                                                                \
    {B + 0, 4, "Undefined", "####=Undefined" FILL},                                                \
    {B + 4, 1, "Target audience", V_AUDIENCE},                                                     \
    {B + 5, 1, "Form of item", "#=Unknown or not specified|o=Online|q=Direct electronic" FILL},     \
    {B + 6, 2, "Undefined", "##=Undefined" FILL},                                                  \
    {B + 8, 1, "Type of computer file", "a=Numeric data|b=Computer program|c=Representational|d=Document|e=Bibliographic data|f=Font|g=Game|h=Sound|i=Interactive multimedia|j=Online system or service|m=Combination|u=Unknown|z=Other" FILL}, \
    {B + 9, 1, "Undefined", V_UNDEF},                                                              \
    {B + 10, 1, "Government publication", V_GOVPUB},                                              \
    {B + 11, 6, "Undefined", "######=Undefined" FILL}

/* Mixed materials (leader/06 p). */
#define MIXED(B)                                                                                   \
    {B + 0, 5, "Undefined", "#####=Undefined" FILL},                                               \
    {B + 5, 1, "Form of item", "#=None of the following|a=Microfilm|b=Microfiche|c=Microopaque|d=Large print|f=Braille|o=Online|q=Direct electronic|r=Regular print reproduction|s=Electronic" FILL}, \
    {B + 6, 11, "Undefined", "###########=Undefined" FILL}

static const struct fx_elem f008_books[] = {BIB_008_HEAD, BOOKS(18), BIB_008_TAIL};
static const struct fx_elem f008_serials[] = {BIB_008_HEAD, SERIALS(18), BIB_008_TAIL};
static const struct fx_elem f008_music[] = {BIB_008_HEAD, MUSIC(18), BIB_008_TAIL};
static const struct fx_elem f008_maps[] = {BIB_008_HEAD, MAPS(18), BIB_008_TAIL};
static const struct fx_elem f008_visual[] = {BIB_008_HEAD, VISUAL(18), BIB_008_TAIL};
static const struct fx_elem f008_computer[] = {BIB_008_HEAD, COMPUTER(18), BIB_008_TAIL};
static const struct fx_elem f008_mixed[] = {BIB_008_HEAD, MIXED(18), BIB_008_TAIL};

/* 006/00 Form of material, then the 008/18-34 elements at 01-17. */
#define F006_HEAD(codes) {0, 1, "Form of material", codes}
static const struct fx_elem f006_books[] = {
    F006_HEAD("a=Language material|t=Manuscript language material"), BOOKS(1)};
static const struct fx_elem f006_serials[] = {
    F006_HEAD("s=Serial/Integrating resource"), SERIALS(1)};
static const struct fx_elem f006_music[] = {
    F006_HEAD("c=Notated music|d=Manuscript notated music|i=Nonmusical sound recording|j=Musical sound recording"),
    MUSIC(1)};
static const struct fx_elem f006_maps[] = {
    F006_HEAD("e=Cartographic material|f=Manuscript cartographic material"), MAPS(1)};
static const struct fx_elem f006_visual[] = {
    F006_HEAD("g=Projected medium|k=Two-dimensional nonprojectable graphic|o=Kit|r=Three-dimensional artifact or naturally occurring object"),
    VISUAL(1)};
static const struct fx_elem f006_computer[] = {
    F006_HEAD("m=Computer file/Electronic resource"), COMPUTER(1)};
static const struct fx_elem f006_mixed[] = {F006_HEAD("p=Mixed materials"), MIXED(1)};

/* ---- 007 by category of material (bibliographic and holdings alike) ---- */

#define CATEGORY(code, name) {0, 1, "Category of material", code "=" name}
#define UNDEF_02 {2, 1, "Undefined", V_UNDEF}

static const struct fx_elem f007_map[] = {
    CATEGORY("a", "Map"),
    {1, 1, "Specific material designation", "d=Atlas|g=Diagram|j=Map|k=Profile|q=Model|r=Remote-sensing image|s=Section|u=Unspecified|y=View|z=Other" FILL},
    UNDEF_02,
    {3, 1, "Color", "a=One color|c=Multicolored" FILL},
    {4, 1, "Physical medium", "a=Paper|b=Wood|c=Stone|d=Metal|e=Synthetic|f=Skin|g=Textile|i=Plastic|j=Glass|l=Vinyl|n=Vellum|p=Plaster|q=Flexible base photographic, positive|r=Flexible base photographic, negative|s=Non-flexible base photographic, positive|t=Non-flexible base photographic, negative|u=Unknown|v=Leather|w=Parchment|y=Other photographic medium|z=Other" FILL},
    {5, 1, "Type of reproduction", V_REPRODUCTION},
    {6, 1, "Production/reproduction details", "a=Photocopy, blueline print|b=Photocopy|c=Pre-production|d=Film|u=Unknown|z=Other" FILL},
    {7, 1, "Positive/negative aspect", "a=Positive|b=Negative|m=Mixed polarity|n=Not applicable" FILL},
};

static const struct fx_elem f007_electronic[] = {
    CATEGORY("c", "Electronic resource"),
    {1, 1, "Specific material designation", "a=Tape cartridge|b=Chip cartridge|c=Computer optical disc cartridge|d=Computer disc, type unspecified|e=Computer disc cartridge, type unspecified|f=Tape cassette|h=Tape reel|j=Magnetic disk|k=Computer card|m=Magneto-optical disc|o=Optical disc|r=Remote|s=Standalone device|u=Unspecified|z=Other" FILL},
    UNDEF_02,
    {3, 1, "Color", "a=One color|b=Black-and-white|c=Multicolored|g=Gray scale|m=Mixed|n=Not applicable|u=Unknown|z=Other" FILL},
    {4, 1, "Dimensions", "a=3 1/2 in.|e=12 in.|g=4 3/4 in. or 12 cm.|i=1 1/8 x 2 3/8 in.|j=3 7/8 x 2 1/2 in.|n=Not applicable|o=5 1/4 in.|u=Unknown|v=8 in.|z=Other" FILL},
    {5, 1, "Sound", "#=No sound (silent)|a=Sound|u=Unknown sound" FILL},
    {6, 3, "Image bit depth", "001-999=Exact bit depth|mmm=Multiple|nnn=Not applicable|---=Unknown|(fill)(fill)(fill)=No attempt to code"},
    {9, 1, "File formats", "a=One file format|m=Multiple file formats|u=Unknown" FILL},
    {10, 1, "Quality assurance target(s)", "a=Absent|n=Not applicable|p=Present|u=Unknown" FILL},
    {11, 1, "Antecedent/source", "a=File reproduced from original|b=File reproduced from microform|c=File reproduced from an electronic resource|d=File reproduced from an intermediate (not microform)|m=Mixed|n=Not applicable|u=Unknown" FILL},
    {12, 1, "Level of compression", "a=Uncompressed|b=Lossless|d=Lossy|m=Mixed|u=Unknown" FILL},
    {13, 1, "Reformatting quality", "a=Access|n=Not applicable|p=Preservation|r=Replacement|u=Unknown" FILL},
};

static const struct fx_elem f007_globe[] = {
    CATEGORY("d", "Globe"),
    {1, 1, "Specific material designation", "a=Celestial globe|b=Planetary or lunar globe|c=Terrestrial globe|e=Earth moon globe|u=Unspecified|z=Other" FILL},
    UNDEF_02,
    {3, 1, "Color", "a=One color|c=Multicolored" FILL},
    {4, 1, "Physical medium", V_PHYS_MEDIUM_GLOBE},
    {5, 1, "Type of reproduction", V_REPRODUCTION},
};

#define V_BRAILLE_CLASS "#=No specified class of braille writing|a=Literary braille|b=Format code braille|c=Mathematics and scientific braille|d=Computer braille|e=Music braille|m=Multiple braille types|n=Not applicable|u=Unknown|z=Other" FILL
static const struct fx_elem f007_tactile[] = {
    CATEGORY("f", "Tactile material"),
    {1, 1, "Specific material designation", "a=Moon|b=Braille|c=Combination|d=Tactile, with no writing system|u=Unspecified|z=Other" FILL},
    UNDEF_02,
    {3, 2, "Class of braille writing (up to 2)", V_BRAILLE_CLASS},
    {5, 1, "Level of contraction", "a=Uncontracted|b=Contracted|m=Combination|n=Not applicable|u=Unknown|z=Other" FILL},
    {6, 3, "Braille music format (up to three)", "#=No specified braille music format|a=Bar over bar|b=Bar by bar|c=Line over line|d=Paragraph|e=Single line|f=Section by section|g=Line by line|h=Open score|i=Spanner short form scoring|j=Short form scoring|k=Outline|l=Vertical score|n=Not applicable|u=Unknown|z=Other" FILL},
    {9, 1, "Special physical characteristics", "a=Print/braille|b=Jumbo or enlarged braille|n=Not applicable|u=Unknown|z=Other" FILL},
};

static const struct fx_elem f007_projected[] = {
    CATEGORY("g", "Projected graphic"),
    {1, 1, "Specific material designation", "c=Filmstrip cartridge|d=Filmslip|f=Filmstrip, type unspecified|o=Filmstrip roll|s=Slide|t=Transparency|u=Unspecified|z=Other" FILL},
    UNDEF_02,
    {3, 1, "Color", "a=One color|b=Black-and-white|c=Multicolored|h=Hand colored|m=Mixed|n=Not applicable|u=Unknown|z=Other" FILL},
    {4, 1, "Base of emulsion", "d=Glass|e=Synthetic|j=Safety film|k=Film base, other than safety film|m=Mixed collection|o=Paper|u=Unknown|z=Other" FILL},
    {5, 1, "Sound on medium or separate", V_SOUND_ON},
    {6, 1, "Medium for sound", V_SOUND_MEDIUM},
    {7, 1, "Dimensions", "a=Standard 8 mm. film width|b=Super 8 mm./single 8 mm. film width|c=9.5 mm. film width|d=16 mm. film width|e=28 mm. film width|f=35 mm. film width|g=70 mm. film width|j=2x2 in. or 5x5 cm.|k=2 1/4 x 2 1/4 in. or 6x6 cm.|s=4x5 in. or 10x13 cm.|t=5x7 in. or 13x18 cm.|u=Unknown|v=8x10 in. or 21x26 cm.|w=9x9 in. or 23x23 cm.|x=10x10 in. or 26x26 cm.|y=7x7 in. or 18x18 cm.|z=Other" FILL},
    {8, 1, "Secondary support material", "#=No secondary support|c=Cardboard|d=Glass|e=Synthetic|h=Metal|j=Metal and glass|k=Synthetic and glass|m=Mixed collection|u=Unknown|z=Other" FILL},
};

static const struct fx_elem f007_microform[] = {
    CATEGORY("h", "Microform"),
    {1, 1, "Specific material designation", "a=Aperture card|b=Microfilm cartridge|c=Microfilm cassette|d=Microfilm reel|e=Microfiche|f=Microfiche cassette|g=Microopaque|h=Microfilm slip|j=Microfilm roll|u=Unspecified|z=Other" FILL},
    UNDEF_02,
    {3, 1, "Positive/negative aspect", "a=Positive|b=Negative|m=Mixed polarity|u=Unknown" FILL},
    {4, 1, "Dimensions", "a=8 mm.|d=16 mm.|f=35 mm.|g=70 mm.|h=105 mm.|l=3x5 in. or 8x13 cm.|m=4x6 in. or 11x15 cm.|o=6x9 in. or 16x23 cm.|p=3 1/4 x 7 3/8 in. or 9x19 cm.|u=Unknown|z=Other" FILL},
    {5, 1, "Reduction ratio range", "a=Low reduction ratio|b=Normal reduction|c=High reduction|d=Very high reduction|e=Ultra high reduction|u=Unknown|v=Reduction rate varies" FILL},
    {6, 3, "Reduction ratio", "001-999=Reduction ratio (e.g. 024 for 24:1)|-=Unknown digit" FILL},
    {9, 1, "Color", "b=Black-and-white (or monochrome)|c=Multicolored|m=Mixed|u=Unknown|z=Other" FILL},
    {10, 1, "Emulsion on film", "a=Silver halide|b=Diazo|c=Vesicular|m=Mixed emulsion|n=Not applicable|u=Unknown|z=Other" FILL},
    {11, 1, "Generation", "a=First generation (master)|b=Printing master|c=Service copy|m=Mixed generation|u=Unknown" FILL},
    {12, 1, "Base of film", V_FILM_BASE},
};

static const struct fx_elem f007_nonprojected[] = {
    CATEGORY("k", "Nonprojected graphic"),
    {1, 1, "Specific material designation", "a=Activity card|c=Collage|d=Drawing|e=Painting|f=Photomechanical print|g=Photonegative|h=Photoprint|i=Picture|j=Print|k=Poster|l=Technical drawing|n=Chart|o=Flash card|p=Postcard|q=Icon|r=Radiograph|s=Study print|u=Unspecified|v=Photograph, type unspecified|z=Other" FILL},
    UNDEF_02,
    {3, 1, "Color", "a=One color|b=Black-and-white|c=Multicolored|h=Hand colored|m=Mixed|u=Unknown|z=Other" FILL},
    {4, 1, "Primary support material", V_SUPPORT},
    {5, 1, "Secondary support material", "#=No secondary support|" V_SUPPORT},
};

static const struct fx_elem f007_motion[] = {
    CATEGORY("m", "Motion picture"),
    {1, 1, "Specific material designation", "c=Film cartridge|f=Film cassette|o=Film roll|r=Film reel|u=Unspecified|z=Other" FILL},
    UNDEF_02,
    {3, 1, "Color", "b=Black-and-white|c=Multicolored|h=Hand colored|m=Mixed|n=Not applicable|u=Unknown|z=Other" FILL},
    {4, 1, "Motion picture presentation format", "a=Standard sound aperture (reduced frame)|b=Nonanamorphic (wide-screen)|c=3D|d=Anamorphic (wide-screen)|e=Other wide-screen format|f=Standard silent aperture (full frame)|u=Unknown|z=Other" FILL},
    {5, 1, "Sound on medium or separate", V_SOUND_ON},
    {6, 1, "Medium for sound", V_SOUND_MEDIUM},
    {7, 1, "Dimensions", "a=Standard 8 mm.|b=Super 8 mm./single 8 mm.|c=9.5 mm.|d=16 mm.|e=28 mm.|f=35 mm.|g=70 mm.|u=Unknown|z=Other" FILL},
    {8, 1, "Configuration of playback channels", V_PLAYBACK},
    {9, 1, "Production elements", "a=Workprint|b=Trims|c=Outtakes|d=Rushes|e=Mixing tracks|f=Title bands/intertitle rolls|g=Production rolls|n=Not applicable|z=Other" FILL},
    {10, 1, "Positive/negative aspect", "a=Positive|b=Negative|n=Not applicable|u=Unknown|z=Other" FILL},
    {11, 1, "Generation", "d=Duplicate|e=Master|o=Original|r=Reference print/viewing copy|u=Unknown|z=Other" FILL},
    {12, 1, "Base of film", V_FILM_BASE},
    {13, 1, "Refined categories of color", "a=3 layer color|b=2 color, single strip|c=Undetermined 2 color|d=Undetermined 3 color|e=3 strip color|f=2 strip color|g=Red strip|h=Blue or green strip|i=Cyan strip|j=Magenta strip|k=Yellow strip|l=S E N 2|m=S E N 3|n=Not applicable|p=Sepia tone|q=Other tone|r=Tint|s=Tinted and toned|t=Stencil color|u=Unknown|v=Hand colored|z=Other" FILL},
    {14, 1, "Kind of color stock or print", "a=Imbibition dye transfer prints|b=Three layer stock|c=Three layer stock, low fade|d=Duplitized stock|n=Not applicable|u=Unknown|z=Other" FILL},
    {15, 1, "Deterioration stage", "a=None apparent|b=Nitrate: suspicious odor|c=Nitrate: pungent odor|d=Nitrate: brownish, discoloration, fading, dusty|e=Nitrate: sticky|f=Nitrate: frothy, bubbles, blisters|g=Nitrate: congealed|h=Nitrate: powder|k=Non-nitrate: detectable deterioration (diacetate odor)|l=Non-nitrate: advanced deterioration|m=Non-nitrate: disaster" FILL},
    {16, 1, "Completeness", "c=Complete|i=Incomplete|n=Not applicable|u=Unknown" FILL},
    {17, 6, "Film inspection date (ccyymm)", "ccyymm=Century, year and month of the inspection|------=Unknown" FILL},
};

static const struct fx_elem f007_kit[] = {
    CATEGORY("o", "Kit"),
    {1, 1, "Specific material designation", "u=Unspecified" FILL},
};

static const struct fx_elem f007_notated[] = {
    CATEGORY("q", "Notated music"),
    {1, 1, "Specific material designation", "u=Unspecified" FILL},
};

static const struct fx_elem f007_remote[] = {
    CATEGORY("r", "Remote-sensing image"),
    {1, 1, "Specific material designation", "u=Unspecified" FILL},
    UNDEF_02,
    {3, 1, "Altitude of sensor", "a=Surface|b=Airborne|c=Spaceborne|n=Not applicable|u=Unknown|z=Other" FILL},
    {4, 1, "Attitude of sensor", "a=Low oblique|b=High oblique|c=Vertical|n=Not applicable|u=Unknown" FILL},
    {5, 1, "Cloud cover", "0=0-9%|1=10-19%|2=20-29%|3=30-39%|4=40-49%|5=50-59%|6=60-69%|7=70-79%|8=80-89%|9=90-100%|n=Not applicable|u=Unknown" FILL},
    {6, 1, "Platform construction type", "a=Balloon|b=Aircraft--low altitude|c=Aircraft--medium altitude|d=Aircraft--high altitude|e=Manned spacecraft|f=Unmanned spacecraft|g=Land-based remote-sensing device|h=Water surface-based remote-sensing device|i=Submersible remote-sensing device|n=Not applicable|u=Unknown|z=Other" FILL},
    {7, 1, "Platform use category", "a=Meteorological|b=Surface observing|c=Space observing|m=Mixed uses|n=Not applicable|u=Unknown|z=Other" FILL},
    {8, 1, "Sensor type", "a=Active|b=Passive|u=Unknown|z=Other" FILL},
    {9, 2, "Data type", "aa=Visible light|da=Near infrared|db=Middle infrared|dc=Far infrared|dd=Thermal infrared|de=Shortwave infrared (SWIR)|df=Reflective infrared|dv=Combinations|dz=Other infrared data|ga=Sidelooking airborne radar (SLAR)|gb=Synthetic aperture radar (SAR)-Single frequency|gc=SAR-multi-frequency (multichannel)|gd=SAR-like polarization|ge=SAR-cross polarization|gf=Infometric SAR|gg=Polarmetric SAR|gu=Passive microwave mapping|gz=Other microwave data|ja=Far ultraviolet|jb=Middle ultraviolet|jc=Near ultraviolet|jv=Ultraviolet combinations|jz=Other ultraviolet data|ma=Multi-spectral, multidata|mb=Multi-temporal|mm=Combination of various data types|nn=Not applicable|pa=Sonar--water depth|pb=Sonar--bottom topography images, sidescan|pc=Sonar--bottom topography, near surface|pd=Sonar--bottom topography, near bottom|pe=Seismic surveys|pz=Other acoustical data|ra=Gravity anomalies (general)|rb=Free-air|rc=Bouger|rd=Isostatic|sa=Magnetic field|ta=Radiometric surveys|uu=Unknown|zz=Other|(fill)(fill)=No attempt to code"},
};

static const struct fx_elem f007_sound[] = {
    CATEGORY("s", "Sound recording"),
    {1, 1, "Specific material designation", "d=Sound disc|e=Cylinder|g=Sound cartridge|i=Sound-track film|q=Roll|r=Remote|s=Sound cassette|t=Sound-tape reel|u=Unspecified|w=Wire recording|z=Other" FILL},
    UNDEF_02,
    {3, 1, "Speed", "a=16 rpm|b=33 1/3 rpm|c=45 rpm|d=78 rpm|e=8 rpm|f=1.4 m. per second|h=120 rpm|i=160 rpm|k=15/16 ips|l=1 7/8 ips|m=3 3/4 ips|n=Not applicable|o=7 1/2 ips|p=15 ips|r=30 ips|u=Unknown|z=Other" FILL},
    {4, 1, "Configuration of playback channels", "m=Monaural|q=Quadraphonic, multichannel, or surround|s=Stereophonic|u=Unknown|z=Other" FILL},
    {5, 1, "Groove width/groove pitch", "m=Microgroove/fine|n=Not applicable|s=Coarse/standard|u=Unknown|z=Other" FILL},
    {6, 1, "Dimensions", "a=3 in.|b=5 in.|c=7 in.|d=10 in.|e=12 in.|f=16 in.|g=4 3/4 in. or 12 cm.|j=3 7/8 x 2 1/2 in.|n=Not applicable|o=5 1/4 x 3 7/8 in.|s=2 3/4 x 4 in.|u=Unknown|z=Other" FILL},
    {7, 1, "Tape width", "l=1/8 in.|m=1/4 in.|n=Not applicable|o=1/2 in.|p=1 in.|u=Unknown|z=Other" FILL},
    {8, 1, "Tape configuration", "a=Full (1) track|b=Half (2) track|c=Quarter (4) track|d=Eight track|e=Twelve track|f=Sixteen track|n=Not applicable|u=Unknown|z=Other" FILL},
    {9, 1, "Kind of disc, cylinder, or tape", "a=Master tape|b=Tape duplication master|d=Disc master (negative)|i=Instantaneous (recorded on the spot)|m=Mass-produced|n=Not applicable|r=Mother (positive)|s=Stamper (negative)|t=Test pressing|u=Unknown|z=Other" FILL},
    {10, 1, "Kind of material", "a=Lacquer coating|b=Cellulose nitrate|c=Acetate tape with ferrous oxide|g=Glass with lacquer|i=Aluminum with lacquer|l=Metal|m=Plastic with metal|n=Not applicable|p=Plastic|r=Paper with lacquer or ferrous oxide|s=Shellac|u=Unknown|w=Wax|z=Other" FILL},
    {11, 1, "Kind of cutting", "h=Hill-and-dale cutting|l=Lateral or combined cutting|n=Not applicable|u=Unknown" FILL},
    {12, 1, "Special playback characteristics", "a=NAB standard|b=CCIR standard|c=Dolby-B encoded|d=dbx encoded|e=Digital recording|f=Dolby-A encoded|g=Dolby-C encoded|h=CX encoded|n=Not applicable|u=Unknown|z=Other" FILL},
    {13, 1, "Capture and storage technique", "a=Acoustical capture, direct storage|b=Direct storage, not acoustical|d=Digital storage|e=Analog electrical storage|u=Unknown|z=Other" FILL},
};

static const struct fx_elem f007_text[] = {
    CATEGORY("t", "Text"),
    {1, 1, "Specific material designation", "a=Regular print|b=Large print|c=Braille|d=Loose-leaf|u=Unspecified|z=Other" FILL},
};

static const struct fx_elem f007_video[] = {
    CATEGORY("v", "Videorecording"),
    {1, 1, "Specific material designation", "c=Videocartridge|d=Videodisc|f=Videocassette|r=Videoreel|u=Unspecified|z=Other" FILL},
    UNDEF_02,
    {3, 1, "Color", "a=One color|b=Black-and-white|c=Multicolored|m=Mixed|n=Not applicable|u=Unknown|z=Other" FILL},
    {4, 1, "Videorecording format", "a=Beta (1/2 in., videocassette)|b=VHS (1/2 in., videocassette)|c=U-matic (3/4 in., videocassette)|d=EIAJ (1/2 in., reel)|e=Type C (1 in., reel)|f=Quadruplex (1 in. or 2 in., reel)|g=Laserdisc|h=CED (Capacitance Electronic Disc) videodisc|i=Betacam (1/2 in., videocassette)|j=Betacam SP (1/2 in., videocassette)|k=Super-VHS (1/2 in., videocassette)|m=M-II (1/2 in., videocassette)|o=D-2 (3/4 in., videocassette)|p=8 mm.|q=Hi-8 mm.|s=Blu-ray disc|u=Unknown|v=DVD|z=Other" FILL},
    {5, 1, "Sound on medium or separate", V_SOUND_ON},
    {6, 1, "Medium for sound", V_SOUND_MEDIUM},
    {7, 1, "Dimensions", "a=8 mm.|m=1/4 in.|o=1/2 in.|p=1 in.|q=2 in.|r=3/4 in.|u=Unknown|z=Other" FILL},
    {8, 1, "Configuration of playback channels", V_PLAYBACK},
};

static const struct fx_elem f007_unspecified[] = {
    CATEGORY("z", "Unspecified"),
    {1, 1, "Specific material designation", "m=Multiple physical forms|u=Unspecified|z=Other" FILL},
};

/* ---- holdings 008 ---- */

static const struct fx_elem f008_holdings[] = {
    {0, 6, "Date entered on file (yymmdd)", ""},
    {6, 1, "Receipt or acquisition status", "0=Unknown|1=Other receipt or acquisition status|2=Received and complete or ceased|3=On order|4=Currently received|5=Not currently received" FILL},
    {7, 1, "Method of acquisition", "c=Cooperative or consortial purchase|d=Deposit|e=Exchange|f=Free|g=Gift|l=Legal deposit|m=Membership|n=Non-library purchase|p=Purchase|q=Lease|u=Unknown|z=Other method of acquisition" FILL},
    {8, 4, "Expected acquisition end date", "yymm=Date of cancellation or last expected part|uuuu=Intent to cancel; effective date not known|####=No intent to cancel or not applicable" FILL},
    {12, 1, "General retention policy", "0=Unknown|1=Other general retention policy|2=Retained except as replaced by updates|3=Sample issue retained|4=Retained until replaced by microform|5=Retained until replaced by cumulation, replacement volume, or revision|6=Retained for a limited period|7=Not retained|8=Permanently retained" FILL},
    {13, 1, "Specific retention: policy type", "#=No information provided|l=Latest|p=Previous" FILL},
    {14, 1, "Specific retention: number of units", "1-9=Number of units|#=Unit type not specified" FILL},
    {15, 1, "Specific retention: unit type", "#=No information provided|m=Month(s)|w=Week(s)|y=Year(s)|e=Edition(s)|i=Issue(s)|s=Supplement(s)" FILL},
    {16, 1, "Completeness", "0=Other|1=Complete (95%-100% held)|2=Incomplete (50%-94% held)|3=Very incomplete or scattered (less than 50% held)|4=Not applicable" FILL},
    {17, 3, "Number of copies reported", "001-999=Number of copies|###=Not reported" FILL},
    {20, 1, "Lending policy", "a=Will lend|b=Will not lend|c=Will lend hard copy only|l=Limited lending policy|u=Unknown" FILL},
    {21, 1, "Reproduction policy", "a=Will reproduce|b=Will not reproduce|u=Unknown" FILL},
    {22, 3, "Language", "xxx=MARC Code List for Languages (of the holdings captions)|###=No information provided|und=Undetermined" FILL},
    {25, 1, "Separate or composite copy report", "0=Separate copy report|1=Composite copy report" FILL},
    {26, 6, "Date of report (yymmdd)", "yymmdd=Date the holdings were last reported|000000=Unknown" FILL},
};

#define T(name, len, elems) {name, len, elems, N(elems)}

static const struct fx_table leaders[] = {
    T("Leader (bibliographic)", 24, leader_bib),
    T("Leader (holdings)", 24, leader_hold),
};

/* Kinds of material, in the order of enum kind below. */
enum kind { BK, CR, MU, MP, VM, CF, MX, NKINDS };

static const struct fx_table tables_008[NKINDS] = {
    T("008 Books", 40, f008_books),
    T("008 Continuing resources", 40, f008_serials),
    T("008 Music", 40, f008_music),
    T("008 Maps", 40, f008_maps),
    T("008 Visual materials", 40, f008_visual),
    T("008 Computer files", 40, f008_computer),
    T("008 Mixed materials", 40, f008_mixed),
};

static const struct fx_table tables_006[NKINDS] = {
    T("006 Books", 18, f006_books),
    T("006 Continuing resources", 18, f006_serials),
    T("006 Music", 18, f006_music),
    T("006 Maps", 18, f006_maps),
    T("006 Visual materials", 18, f006_visual),
    T("006 Computer files", 18, f006_computer),
    T("006 Mixed materials", 18, f006_mixed),
};

static const struct fx_table holdings_008 = T("008 Holdings", 32, f008_holdings);

static const struct {
    char category;
    struct fx_table t;
} tables_007[] = {
    {'a', T("007 Map", 8, f007_map)},
    {'c', T("007 Electronic resource", 14, f007_electronic)},
    {'d', T("007 Globe", 6, f007_globe)},
    {'f', T("007 Tactile material", 10, f007_tactile)},
    {'g', T("007 Projected graphic", 9, f007_projected)},
    {'h', T("007 Microform", 13, f007_microform)},
    {'k', T("007 Nonprojected graphic", 6, f007_nonprojected)},
    {'m', T("007 Motion picture", 23, f007_motion)},
    {'o', T("007 Kit", 2, f007_kit)},
    {'q', T("007 Notated music", 2, f007_notated)},
    {'r', T("007 Remote-sensing image", 11, f007_remote)},
    {'s', T("007 Sound recording", 14, f007_sound)},
    {'t', T("007 Text", 2, f007_text)},
    {'v', T("007 Videorecording", 9, f007_video)},
    {'z', T("007 Unspecified", 2, f007_unspecified)},
};

static bool
holdings(const char *leader)
{
    return leader[6] && strchr("uvxy", leader[6]);
}

/*
 * The 008 kind from leader/06-07 (LC, 008 "Character Positions 18-34"):
 * Books a/t with a, c, d, m; Continuing resources a with b, i, s; Music c,
 * d, i, j; Maps e, f; Visual materials g, k, o, r; Computer files m; Mixed
 * materials p.  Manuscript language material (t) of a serial level is not
 * given by LC; it takes Books, as OCLC does.
 */
static int
kind_008(char type, char level)
{
    if (type == 'a' && level && strchr("bis", level))
        return CR;
    if (type == 'a' || type == 't')
        return BK;
    if (type && strchr("cdij", type))
        return MU;
    if (type == 'e' || type == 'f')
        return MP;
    if (type && strchr("gkor", type))
        return VM;
    if (type == 'm')
        return CF;
    if (type == 'p')
        return MX;
    return -1;
}

/* The 006 kind from 006/00 (Form of material). */
static int
kind_006(char form)
{
    if (form == 's')
        return CR;
    if (form == 'a' || form == 't')
        return BK;
    return kind_008(form, 'm');
}

const struct fx_table *
fx_table_for(const char *tag, const char *leader, const char *value)
{
    bool hold = holdings(leader);
    if (strcmp(tag, "LDR") == 0)
        return &leaders[hold ? 1 : 0];
    if (strcmp(tag, "007") == 0) {
        for (size_t i = 0; value && value[0] && i < N(tables_007); i++)
            if (tables_007[i].category == value[0])
                return &tables_007[i].t;
        return NULL;
    }
    if (strcmp(tag, "008") == 0) {
        if (hold)
            return &holdings_008;
        int k = kind_008(leader[6], leader[6] ? leader[7] : '\0');
        return k < 0 ? NULL : &tables_008[k];
    }
    if (strcmp(tag, "006") == 0 && !hold) {
        int k = value && value[0] ? kind_006(value[0]) : -1;
        return k < 0 ? NULL : &tables_006[k];
    }
    return NULL;
}

size_t
fx_tables_all(const struct fx_table **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < N(leaders) && n < max; i++)
        out[n++] = &leaders[i];
    for (size_t i = 0; i < NKINDS && n < max; i++)
        out[n++] = &tables_008[i];
    for (size_t i = 0; i < NKINDS && n < max; i++)
        out[n++] = &tables_006[i];
    if (n < max)
        out[n++] = &holdings_008;
    for (size_t i = 0; i < N(tables_007) && n < max; i++)
        out[n++] = &tables_007[i].t;
    return n;
}
