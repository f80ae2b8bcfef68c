/*
 * sax_count: the libxml2 SAX2 baseline for bench/parse-bench.sh.
 *
 * Reads every file named on the command line into memory first, then (timed) parses each one with a fresh push-parser
 * context, counting startElementNs events and character/CDATA bytes. This is the floor any XMLParser-based parser
 * sits on: the same libxml2, the same push interface, but no delegate, no String building, no model.
 *
 * `--options` picks libxml2's parser options (default recover-noent):
 *   recover-noent  XML_PARSE_RECOVER | XML_PARSE_NOENT, exactly what FoundationXML's XMLParser sets: an ill-formed
 *                  document is read as far as libxml2 can (XMLParser keeps delivering callbacks after an error) and
 *                  entities are substituted. This is the reference `feedd parse` is held to.
 *   plain          no options at all (libxml2's defaults: no recovery, entities not substituted); a fatal error
 *                  stops that document, so on broken documents this counter does less work.
 * XML_PARSE_HUGE stays off, as in XMLParser: without it libxml2 stops a single pushed chunk larger than 10,000,000
 * bytes. Errors never reach stderr (a structured error handler takes them). A document that fails counts in
 * `errors` and the run goes on.
 *
 * Output, one line:  files=N bytes=N elements=N text_bytes=N errors=N seconds=S
 *   errors  = documents for which libxml2 reported at least one error (they were still parsed, in recovery mode)
 *   seconds = wall time of the parsing only (CLOCK_MONOTONIC), file reading excluded
 *
 * Usage: sax_count [--options recover-noent|plain] FILE...
 * Build: gcc -O2 -o sax_count bench/sax_count.c $(xml2-config --cflags --libs)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

struct counts {
    unsigned long long elements;
    unsigned long long text_bytes;
    int had_error;
};

static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                             int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                             const xmlChar **attributes) {
    (void)localname; (void)prefix; (void)uri; (void)nb_namespaces; (void)namespaces;
    (void)nb_attributes; (void)nb_defaulted; (void)attributes;
    ((struct counts *)ctx)->elements++;
}

static void on_text(void *ctx, const xmlChar *text, int len) {
    (void)text;
    ((struct counts *)ctx)->text_bytes += (unsigned long long)len;
}

/* Structured error handler: keeps libxml2 quiet on stderr and remembers that the document had an error. */
static void on_error(void *ctx, xmlErrorPtr error) {
    if (error != NULL && error->level >= XML_ERR_ERROR) {
        ((struct counts *)ctx)->had_error = 1;
    }
}

struct document {
    const char *path;
    char *data;
    size_t size;
};

/* Reads a whole file; returns 0 on success. */
static int read_file(const char *path, struct document *doc) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL) {
        fclose(f);
        return -1;
    }
    for (;;) {
        if (len == cap) {
            cap *= 2;
            char *grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = grown;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            break;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return -1;
    }
    doc->path = path;
    doc->data = buf;
    doc->size = len;
    return 0;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parses one in-memory document with a fresh push context; returns 1 if libxml2 reported an error. */
static int parse_document(const struct document *doc, int options, struct counts *counts) {
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start_element;
    sax.characters = on_text;
    sax.ignorableWhitespace = on_text;
    sax.cdataBlock = on_text;
    sax.serror = on_error;

    counts->had_error = 0;
    /* As XMLParser does: the first 4 bytes create the context (encoding detection), the rest is one chunk. */
    int head = doc->size < 4 ? (int)doc->size : 4;
    xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, counts, doc->data, head, doc->path);
    if (ctxt == NULL) {
        return 1;
    }
    xmlCtxtUseOptions(ctxt, options);
    int rc = xmlParseChunk(ctxt, doc->data + head, (int)(doc->size - (size_t)head), 1);
    int failed = rc != 0 || !ctxt->wellFormed || counts->had_error;
    xmlFreeParserCtxt(ctxt);
    return failed;
}

static int usage(const char *program, int status) {
    fprintf(stderr, "usage: %s [--options recover-noent|plain] FILE...\n"
                    "Parses each file with libxml2 SAX2 (push parser) and prints:\n"
                    "  files= bytes= elements= text_bytes= errors= seconds=\n"
                    "--options recover-noent (default): XML_PARSE_RECOVER|XML_PARSE_NOENT, as XMLParser sets them\n"
                    "--options plain: no parser options (no recovery, no entity substitution)\n", program);
    return status;
}

int main(int argc, char **argv) {
    int options = XML_PARSE_RECOVER | XML_PARSE_NOENT;
    int first = 1;
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        return usage(argv[0], 0);
    }
    if (argc > 2 && strcmp(argv[1], "--options") == 0) {
        if (strcmp(argv[2], "recover-noent") == 0) {
            options = XML_PARSE_RECOVER | XML_PARSE_NOENT;
        } else if (strcmp(argv[2], "plain") == 0) {
            options = 0;
        } else {
            fprintf(stderr, "sax_count: --options wants recover-noent or plain, not '%s'\n", argv[2]);
            return 2;
        }
        first = 3;
    }
    if (argc <= first) {
        return usage(argv[0], 2);
    }
    int count = argc - first;
    struct document *docs = calloc((size_t)count, sizeof *docs);
    if (docs == NULL) {
        fprintf(stderr, "sax_count: out of memory\n");
        return 1;
    }
    unsigned long long total_bytes = 0;
    for (int i = 0; i < count; i++) {
        if (read_file(argv[first + i], &docs[i]) != 0) {
            fprintf(stderr, "sax_count: %s: %s\n", argv[first + i], strerror(errno ? errno : EIO));
            return 1;
        }
        total_bytes += docs[i].size;
    }

    xmlInitParser();
    struct counts counts = {0, 0, 0};
    int errors = 0;
    double start = now_seconds();
    for (int i = 0; i < count; i++) {
        errors += parse_document(&docs[i], options, &counts);
    }
    double seconds = now_seconds() - start;

    printf("files=%d bytes=%llu elements=%llu text_bytes=%llu errors=%d seconds=%.6f\n",
           count, total_bytes, counts.elements, counts.text_bytes, errors, seconds);
    for (int i = 0; i < count; i++) {
        free(docs[i].data);
    }
    free(docs);
    xmlCleanupParser();
    return 0;
}
