/*
 * sax_count: the libxml2 SAX2 baseline for bench/parse-bench.sh.
 *
 * Reads every file named on the command line into memory first, then (timed) parses each one with a fresh push-parser
 * context, counting startElementNs events and character/CDATA bytes. This is the floor any XMLParser-based parser
 * sits on: the same libxml2, the same push interface, but no delegate, no String building, no model.
 *
 * Options mirror what FoundationXML's XMLParser sets (XML_PARSE_RECOVER, so an ill-formed document is read as far as
 * libxml2 can, just as XMLParser keeps delivering callbacks after an error), minus entity substitution; XML_PARSE_NONET
 * so no DTD is ever fetched; XML_PARSE_HUGE stays off, as in XMLParser. A document that fails counts in `errors` and
 * the run goes on. Note that without XML_PARSE_HUGE libxml2 stops a single pushed chunk larger than 10,000,000 bytes.
 *
 * Output, one line:  files=N bytes=N elements=N text_bytes=N errors=N seconds=S
 *   errors  = documents for which libxml2 reported at least one error (they were still parsed, in recovery mode)
 *   seconds = wall time of the parsing only (CLOCK_MONOTONIC), file reading excluded
 *
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
static int parse_document(const struct document *doc, struct counts *counts) {
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
    xmlCtxtUseOptions(ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int rc = xmlParseChunk(ctxt, doc->data + head, (int)(doc->size - (size_t)head), 1);
    int failed = rc != 0 || !ctxt->wellFormed || counts->had_error;
    xmlFreeParserCtxt(ctxt);
    return failed;
}

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fprintf(stderr, "usage: %s FILE...\n"
                        "Parses each file with libxml2 SAX2 (push parser, recovery on, no entity substitution)\n"
                        "and prints: files= bytes= elements= text_bytes= errors= seconds=\n", argv[0]);
        return argc < 2 ? 2 : 0;
    }
    int count = argc - 1;
    struct document *docs = calloc((size_t)count, sizeof *docs);
    if (docs == NULL) {
        fprintf(stderr, "sax_count: out of memory\n");
        return 1;
    }
    unsigned long long total_bytes = 0;
    for (int i = 0; i < count; i++) {
        if (read_file(argv[i + 1], &docs[i]) != 0) {
            fprintf(stderr, "sax_count: %s: %s\n", argv[i + 1], strerror(errno ? errno : EIO));
            return 1;
        }
        total_bytes += docs[i].size;
    }

    xmlInitParser();
    struct counts counts = {0, 0, 0};
    int errors = 0;
    double start = now_seconds();
    for (int i = 0; i < count; i++) {
        errors += parse_document(&docs[i], &counts);
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
