/* cli_check.c — `nnterm check PRESET...`, `nnterm presets` and `nnterm keys [--markdown]`. */
#include "cli.h"
#include "preset_schema.h"

#include "files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints the diagnostics (or the single error) of a failed load. */
static void print_problems(const nn_diags *d, const nn_error *err, int max)
{
    if (d->count == 0) {
        fprintf(stderr, "nnterm: %s\n", err->msg);
        return;
    }
    for (int i = 0; i < d->count && i < max; i++)
        fprintf(stderr, "nnterm: %s\n", d->msg[i]);
    int more = d->count - max + d->dropped;
    if (more > 0)
        fprintf(stderr, "nnterm: ... and %d more problem%s\n", more, more == 1 ? "" : "s");
}

int cli_load_preset(nn_preset *p, const char *name, nn_preset_origin *origin)
{
    nn_diags d;
    nn_error err;
    nn_diags_clear(&d);
    nn_error_clear(&err);
    if (nn_preset_open(p, name, origin, &d, &err) != NN_OK) {
        print_problems(&d, &err, 3);
        return -1;
    }
    return 0;
}

int cli_check(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "nnterm: check: give one or more presets (names or paths)\n");
        return EXIT_BAD_INPUT;
    }
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        nn_preset *p = malloc(sizeof *p);
        nn_diags *d = malloc(sizeof *d);
        nn_error err;
        if (!p || !d) {
            fprintf(stderr, "nnterm: out of memory\n");
            free(p);
            free(d);
            return EXIT_RUN_FAILED;
        }
        nn_diags_clear(d);
        nn_error_clear(&err);
        nn_preset_origin origin;
        if (nn_preset_open(p, argv[i], &origin, d, &err) != NN_OK) {
            print_problems(d, &err, NN_MAX_DIAGS);
            bad++;
        } else if (origin == NN_ORIGIN_MODEL) {
            printf("%s: ok (a model of %s)\n", argv[i], p->name);
        } else if (origin == NN_ORIGIN_CSV) {
            printf("%s: ok (a CSV file: the defaults on it, the last column the label; its rows are read when "
                   "it trains)\n", argv[i]);
        } else {
            printf("%s: ok (%s)\n", argv[i], p->name);
        }
        free(p);
        free(d);
    }
    return bad ? EXIT_BAD_INPUT : 0;
}

int cli_keys(int argc, char **argv)
{
    bool markdown = argc == 2 && strcmp(argv[1], "--markdown") == 0;
    bool names = argc == 2 && strcmp(argv[1], "--names") == 0;
    if (argc > 2 || (argc == 2 && !markdown && !names)) {
        fprintf(stderr, "nnterm: keys takes only --markdown or --names\n");
        return EXIT_BAD_INPUT;
    }
    if (names) {   /* one dotted key a line, a layer's index as 0 (bash completion of --set) */
        for (int i = 0; i < nn_preset_key_count; i++) {
            const char *path = nn_preset_keys[i].path;
            const char *star = strstr(path, ".*.");
            if (star)
                printf("%.*s.0.%s\n", (int)(star - path), path, star + 3);
            else
                printf("%s\n", path);
        }
        return 0;
    }
    char *doc = nn_preset_keys_doc(markdown);
    if (!doc) {
        fprintf(stderr, "nnterm: keys: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    fputs(doc, stdout);
    free(doc);
    return 0;
}

int cli_presets(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "nnterm: presets takes no arguments\n");
        return EXIT_BAD_INPUT;
    }
    nn_preset *p = malloc(sizeof *p);
    if (!p)
        return EXIT_RUN_FAILED;
    int n = nn_preset_builtin_count();
    int w = 0;   /* the names' column: as wide as the longest name, so the titles line up */
    for (int i = 0; i < n; i++) {
        int len = (int)strlen(nn_preset_builtin_name(i));
        if (len > w)
            w = len;
    }
    for (int i = 0; i < n; i++) {
        const char *name = nn_preset_builtin_name(i);
        nn_error err;
        if (nn_preset_load(p, name, NULL, &err) == NN_OK)
            printf("%-*s  %s\n", w, name, p->name);
        else
            printf("%-*s  (invalid: %s)\n", w, name, err.msg);
    }
    free(p);
    return 0;
}
