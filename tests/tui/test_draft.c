/*
 * test_draft.c - the autosave draft on disk (tui/draft.c): what a reopen
 * reads is always the last draft written, whole; a shorter draft leaves
 * nothing of a longer one behind; writing does not create a file per
 * keystroke (two files swap roles, SPEC §9's keystroke budget); removing
 * leaves nothing.
 */
#include "testutil.h"

#include "draft.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

struct dir {
    char root[64];
    char path[4200];
};

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void
dir_make(struct dir *d)
{
    snprintf(d->root, sizeof d->root, "/tmp/test_draft.XXXXXX");
    assert_non_null(mkdtemp(d->root));
    snprintf(d->path, sizeof d->path, "%s/991234.draft", d->root);
}

static void
dir_remove(struct dir *d)
{
    nftw(d->root, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void
write_lines(const char *path, int base, const char *const *lines, size_t n)
{
    size_t lens[16];
    for (size_t i = 0; i < n; i++)
        lens[i] = strlen(lines[i]);
    assert_int_equal(tui_draft_write(path, base, lines, lens, n), 0);
}

static void
expect_lines(const char *path, int base, const char *const *want, size_t nwant)
{
    struct tui_draft_info info;
    char **lines;
    size_t n;
    assert_true(tui_draft_read(path, &info, &lines, &n));
    assert_int_equal(info.base_version, base);
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(lines[i], want[i]);
    tui_draft_free_lines(lines, n);
}

static void
test_last_draft_wins_whole(void **state)
{
    struct dir d;
    dir_make(&d);
    static const char *const longer[] = {"=LDR  00000nam a2200000 a 4500", "=001  991234",
                                         "=245  10$aA long title that will be shortened",
                                         "=500  \\\\$aA note that goes away"};
    static const char *const shorter[] = {"=LDR  00000nam a2200000 a 4500", "=245  10$aShort"};
    write_lines(d.path, 3, longer, 4);
    expect_lines(d.path, 3, longer, 4);
    write_lines(d.path, 3, shorter, 2);
    expect_lines(d.path, 3, shorter, 2); /* nothing of the longer draft is left */
    write_lines(d.path, 4, longer, 4);
    expect_lines(d.path, 4, longer, 4);
    dir_remove(&d);
}

static void
test_no_file_per_keystroke(void **state)
{
    struct dir d;
    dir_make(&d);
    static const char *const a[] = {"=245  10$aTitle"};
    static const char *const b[] = {"=245  10$aTitle."};
    write_lines(d.path, 1, a, 1);
    write_lines(d.path, 1, b, 1);
    /* Hold the draft file open: its inode cannot be freed and reused, so
     * finding it again as the draft means it was written again, not that
     * a new file happened to get its number. */
    int fd = open(d.path, O_RDONLY);
    assert_true(fd >= 0);
    struct stat held, now;
    assert_int_equal(fstat(fd, &held), 0);
    write_lines(d.path, 1, a, 1);
    assert_int_equal(stat(d.path, &now), 0);
    assert_true(now.st_ino != held.st_ino); /* the spare became the draft */
    write_lines(d.path, 1, b, 1);
    assert_int_equal(stat(d.path, &now), 0);
    assert_true(now.st_ino == held.st_ino && now.st_dev == held.st_dev);
    assert_int_equal(fstat(fd, &held), 0);
    assert_true(held.st_nlink == 1); /* still the named draft, not a deleted file */
    close(fd);
    expect_lines(d.path, 1, b, 1);
    dir_remove(&d);
}

static void
test_remove_leaves_nothing(void **state)
{
    struct dir d;
    dir_make(&d);
    static const char *const a[] = {"=245  10$aTitle"};
    write_lines(d.path, 1, a, 1);
    write_lines(d.path, 1, a, 1);
    tui_draft_remove(d.path);
    struct tui_draft_info info;
    char **lines;
    size_t n;
    assert_false(tui_draft_read(d.path, &info, &lines, &n));
    assert_int_equal(rmdir(d.root), 0); /* empty: the spare went too */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_last_draft_wins_whole),
        cmocka_unit_test(test_no_file_per_keystroke),
        cmocka_unit_test(test_remove_leaves_nothing),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
