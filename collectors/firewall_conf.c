/* firewall_conf.c - scanners for the files that set up a Linux firewall.
 *
 * nft -f runs its file as one transaction, statement by statement: the scan
 * replays the statements that make or unmake tables, chains and rules
 * (table and chain blocks, add/insert rule, flush, delete) and counts what
 * is left. Braces inside a rule (anonymous sets, verdict maps) and the
 * blocks of sets, maps and flowtables are skipped whole. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "firewall_conf.h"

enum token { TOK_EOF, TOK_WORD, TOK_END, TOK_OPEN, TOK_CLOSE };

struct lexer {
        const char *p;
        unsigned line;
        char word[NFT_NAME_MAX];
};

static bool blank(char c)
{
        return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool special(char c)
{
        return c == '\0' || c == '\n' || c == ';' || c == '{' || c == '}' || c == '#' || c == '"' ||
               blank(c);
}

/* The next token; a word (quotes removed, cut to NFT_NAME_MAX - 1) in
 * lx->word. A newline and ';' both end a statement. -EINVAL for an
 * unterminated string. */
static int lex(struct lexer *lx)
{
        size_t n = 0;

        for (;;) {
                if (blank(*lx->p)) {
                        lx->p++;
                } else if (lx->p[0] == '\\' && lx->p[1] == '\n') {
                        lx->p += 2;
                        lx->line++;
                } else if (*lx->p == '#') {
                        lx->p += strcspn(lx->p, "\n");
                } else {
                        break;
                }
        }
        switch (*lx->p) {
        case '\0':
                return TOK_EOF;
        case '\n':
                lx->p++;
                lx->line++;
                return TOK_END;
        case ';':
                lx->p++;
                return TOK_END;
        case '{':
                lx->p++;
                return TOK_OPEN;
        case '}':
                lx->p++;
                return TOK_CLOSE;
        case '"':
                for (lx->p++; *lx->p != '"'; lx->p++) {
                        if (*lx->p == '\0' || *lx->p == '\n')
                                return -EINVAL;
                        if (n + 1 < sizeof(lx->word))
                                lx->word[n++] = *lx->p;
                }
                lx->p++;
                break;
        default:
                for (; !special(*lx->p); lx->p++)
                        if (n + 1 < sizeof(lx->word))
                                lx->word[n++] = *lx->p;
                break;
        }
        lx->word[n] = '\0';
        return TOK_WORD;
}

enum frame_kind {
        FRAME_TOP,
        FRAME_TABLE,
        FRAME_CHAIN,
        FRAME_SKIP, /* braces inside a statement, or a block the scan ignores */
};

struct frame {
        enum frame_kind kind;
        int index; /* the table or chain */
        unsigned line;
};

struct statement {
        char w[NFT_WORDS_MAX][NFT_NAME_MAX];
        unsigned n; /* words seen, stored or not */
        unsigned line;
};

struct run {
        struct nft_scan *s;
        const char *file;
        struct error *e;
        nft_include_fn *include;
        void *user;
        struct frame stack[NFT_DEPTH_MAX];
        unsigned depth;
        struct statement st;
};

static const char *word(const struct statement *st, unsigned i)
{
        return i < st->n && i < NFT_WORDS_MAX ? st->w[i] : "";
}

static bool is(const struct statement *st, unsigned i, const char *w)
{
        return strcmp(word(st, i), w) == 0;
}

static bool is_family(const char *w)
{
        static const char *const families[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev" };

        for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
                if (strcmp(w, families[i]) == 0)
                        return true;
        return false;
}

/* "[family] table [chain]" from word i on; false when words are missing. */
static bool target(const struct statement *st, unsigned i, bool with_chain, const char **family,
                   const char **table, const char **chain)
{
        *family = "ip";
        if (is_family(word(st, i)) && *word(st, i + 1))
                *family = word(st, i++);
        *table = word(st, i++);
        *chain = with_chain ? word(st, i) : "";
        return **table && (!with_chain || **chain);
}

static int table_find(const struct nft_scan *s, const char *family, const char *name)
{
        for (size_t i = 0; i < s->ntables; i++)
                if (!s->table[i].gone && strcmp(s->table[i].family, family) == 0 &&
                    strcmp(s->table[i].name, name) == 0)
                        return (int)i;
        return -1;
}

static int too_many(struct run *r, const char *what)
{
        error_set(r->e, r->file, r->st.line, "more than %d %s",
                  what[0] == 't' ? NFT_TABLES_MAX : NFT_CHAINS_MAX, what);
        return -E2BIG;
}

static int table_get(struct run *r, const char *family, const char *name)
{
        struct nft_scan *s = r->s;
        int t = table_find(s, family, name);

        if (t >= 0)
                return t;
        if (s->ntables == NFT_TABLES_MAX)
                return too_many(r, "tables");
        memset(&s->table[s->ntables], 0, sizeof(s->table[0]));
        snprintf(s->table[s->ntables].family, sizeof(s->table[0].family), "%s", family);
        snprintf(s->table[s->ntables].name, sizeof(s->table[0].name), "%s", name);
        return (int)s->ntables++;
}

static int chain_find(const struct nft_scan *s, int table, const char *name)
{
        for (size_t i = 0; i < s->nchains; i++)
                if (!s->chain[i].gone && s->chain[i].table == table &&
                    strcmp(s->chain[i].name, name) == 0)
                        return (int)i;
        return -1;
}

static int chain_get(struct run *r, const char *family, const char *table, const char *name)
{
        struct nft_scan *s = r->s;
        int t = table_get(r, family, table), c;

        if (t < 0)
                return t;
        c = chain_find(s, t, name);
        if (c >= 0)
                return c;
        if (s->nchains == NFT_CHAINS_MAX)
                return too_many(r, "chains");
        memset(&s->chain[s->nchains], 0, sizeof(s->chain[0]));
        s->chain[s->nchains].table = t;
        snprintf(s->chain[s->nchains].name, sizeof(s->chain[0].name), "%s", name);
        return (int)s->nchains++;
}

static void table_drop(struct nft_scan *s, int t, bool rules_only)
{
        for (size_t i = 0; i < s->nchains; i++) {
                if (s->chain[i].table != t)
                        continue;
                s->chain[i].rules = 0;
                s->chain[i].gone = s->chain[i].gone || !rules_only;
        }
        s->table[t].gone = s->table[t].gone || !rules_only;
}

/* flush, delete and destroy at the top level. */
static void top_remove(struct run *r, bool flush)
{
        const struct statement *st = &r->st;
        struct nft_scan *s = r->s;
        const char *family, *table, *chain;
        int t, c;

        if (flush && is(st, 1, "ruleset")) {
                for (size_t i = 0; i < s->ntables; i++)
                        if (!*word(st, 2) || strcmp(s->table[i].family, word(st, 2)) == 0)
                                table_drop(s, (int)i, false);
        } else if (is(st, 1, "table") && target(st, 2, false, &family, &table, &chain)) {
                if ((t = table_find(s, family, table)) >= 0)
                        table_drop(s, t, flush);
        } else if (is(st, 1, "chain") && target(st, 2, true, &family, &table, &chain)) {
                if ((t = table_find(s, family, table)) >= 0 && (c = chain_find(s, t, chain)) >= 0) {
                        s->chain[c].rules = 0;
                        s->chain[c].gone = !flush;
                }
        }
}

static int top_statement(struct run *r)
{
        const struct statement *st = &r->st;
        const char *family, *table, *chain;
        int c;

        if (is(st, 0, "include") && *word(st, 1))
                return r->include ? r->include(r->user, word(st, 1), st->line) : 0;
        if (is(st, 0, "flush"))
                top_remove(r, true);
        else if (is(st, 0, "delete") || is(st, 0, "destroy"))
                top_remove(r, false);
        if (!is(st, 0, "add") && !is(st, 0, "create") && !is(st, 0, "insert"))
                return 0;
        if (is(st, 1, "table") && !is(st, 0, "insert") &&
            target(st, 2, false, &family, &table, &chain))
                return table_get(r, family, table) < 0 ? -E2BIG : 0;
        if (is(st, 1, "chain") && !is(st, 0, "insert") &&
            target(st, 2, true, &family, &table, &chain))
                return chain_get(r, family, table, chain) < 0 ? -E2BIG : 0;
        if (is(st, 1, "rule") && !is(st, 0, "create") &&
            target(st, 2, true, &family, &table, &chain)) {
                if ((c = chain_get(r, family, table, chain)) < 0)
                        return -E2BIG;
                r->s->chain[c].rules++;
        }
        return 0;
}

static void chain_statement(struct run *r, struct nft_chain *c)
{
        const struct statement *st = &r->st;
        const char *family = r->s->table[c->table].family;

        if (is(st, 0, "type")) {
                const char *type = word(st, 1), *hook = "";
                for (unsigned i = 2; i + 1 < st->n && i + 1 < NFT_WORDS_MAX; i++) {
                        if (is(st, i, "hook"))
                                hook = word(st, i + 1);
                        else if (is(st, i, "policy"))
                                c->drop = is(st, i + 1, "drop");
                }
                c->base = *hook != '\0';
                c->inbound = strcmp(type, "filter") == 0 && strcmp(family, "arp") != 0 &&
                             (strcmp(hook, "input") == 0 || strcmp(hook, "prerouting") == 0 ||
                              strcmp(hook, "ingress") == 0);
        } else if (is(st, 0, "policy")) {
                c->drop = is(st, 1, "drop");
        } else if (!is(st, 0, "comment") && !is(st, 0, "devices") && !is(st, 0, "device") &&
                   !is(st, 0, "flags")) {
                c->rules++;
        }
}

static int end_statement(struct run *r)
{
        const struct frame *f = &r->stack[r->depth - 1];
        int rc = 0;

        if (r->st.n == 0)
                return 0;
        switch (f->kind) {
        case FRAME_TOP:
                rc = top_statement(r);
                break;
        case FRAME_TABLE:
                if (is(&r->st, 0, "flags"))
                        for (unsigned i = 1; i < r->st.n && i < NFT_WORDS_MAX; i++)
                                if (strstr(r->st.w[i], "dormant"))
                                        r->s->table[f->index].dormant = true;
                break;
        case FRAME_CHAIN:
                chain_statement(r, &r->s->chain[f->index]);
                break;
        case FRAME_SKIP:
                break;
        }
        r->st.n = 0;
        return rc;
}

static int push(struct run *r, enum frame_kind kind, int index, unsigned line)
{
        if (index < 0)
                return index;
        if (r->depth == NFT_DEPTH_MAX) {
                error_set(r->e, r->file, line, "braces nested deeper than %d", NFT_DEPTH_MAX);
                return -E2BIG;
        }
        r->stack[r->depth++] = (struct frame){ kind, index, line };
        /* A table or chain block is its statement's end. */
        if (kind != FRAME_SKIP)
                r->st.n = 0;
        return 0;
}

/* An opening brace: what block it starts depends on where it stands. */
static int open_block(struct run *r, unsigned line)
{
        const struct statement *st = &r->st;
        const struct frame *f = &r->stack[r->depth - 1];
        const char *family, *table, *chain;

        if (f->kind == FRAME_TOP && is(st, 0, "table") && st->n <= 3 &&
            target(st, 1, false, &family, &table, &chain))
                return push(r, FRAME_TABLE, table_get(r, family, table), line);
        if (f->kind == FRAME_TOP && (is(st, 0, "add") || is(st, 0, "create")) &&
            is(st, 1, "table") && target(st, 2, false, &family, &table, &chain))
                return push(r, FRAME_TABLE, table_get(r, family, table), line);
        if (f->kind == FRAME_TOP && (is(st, 0, "add") || is(st, 0, "create")) &&
            is(st, 1, "chain") && target(st, 2, true, &family, &table, &chain))
                return push(r, FRAME_CHAIN, chain_get(r, family, table, chain), line);
        if (f->kind == FRAME_TABLE && is(st, 0, "chain") && st->n == 2) {
                const struct nft_table *t = &r->s->table[f->index];
                return push(r, FRAME_CHAIN, chain_get(r, t->family, t->name, word(st, 1)), line);
        }
        return push(r, FRAME_SKIP, 0, line);
}

void nft_scan_init(struct nft_scan *s)
{
        s->ntables = 0;
        s->nchains = 0;
}

int nft_scan_text(struct nft_scan *s, const char *text, const char *file, nft_include_fn *include,
                  void *user, struct error *e)
{
        struct run r = { .s = s, .file = file, .e = e, .include = include, .user = user };
        struct lexer lx = { .p = text, .line = 1 };
        int tok, rc = 0;

        r.stack[r.depth++] = (struct frame){ FRAME_TOP, 0, 1 };
        while (rc == 0) {
                unsigned line = lx.line;
                bool skipping = r.stack[r.depth - 1].kind == FRAME_SKIP;

                tok = lex(&lx);
                if (tok < 0) {
                        error_set(e, file, line, "a string without its closing quote");
                        return tok;
                }
                if (tok == TOK_EOF)
                        break;
                if (tok == TOK_WORD && !skipping) {
                        if (r.st.n == 0)
                                r.st.line = line;
                        if (r.st.n < NFT_WORDS_MAX)
                                memcpy(r.st.w[r.st.n], lx.word, sizeof(lx.word));
                        if (r.st.n < 1000000)
                                r.st.n++;
                } else if (tok == TOK_END && !skipping) {
                        rc = end_statement(&r);
                } else if (tok == TOK_OPEN) {
                        rc = skipping ? push(&r, FRAME_SKIP, 0, line) : open_block(&r, line);
                } else if (tok == TOK_CLOSE) {
                        if (!skipping)
                                rc = end_statement(&r);
                        if (rc == 0 && r.depth == 1) {
                                error_set(e, file, line, "a \"}\" that closes no block");
                                return -EINVAL;
                        }
                        r.depth--;
                }
        }
        if (rc == 0 && r.stack[r.depth - 1].kind != FRAME_SKIP)
                rc = end_statement(&r);
        if (rc == 0 && r.depth > 1) {
                error_set(e, file, r.stack[r.depth - 1].line,
                          "the \"{\" of this line is never closed");
                return -EINVAL;
        }
        return rc;
}

void nft_scan_summary(const struct nft_scan *s, struct nft_summary *out)
{
        memset(out, 0, sizeof(*out));
        for (size_t i = 0; i < s->ntables; i++)
                out->tables += !s->table[i].gone;
        for (size_t i = 0; i < s->nchains; i++) {
                const struct nft_chain *c = &s->chain[i];
                if (c->gone || s->table[c->table].gone)
                        continue;
                out->chains++;
                out->base_chains += c->base;
                out->inbound_chains += c->inbound;
                out->rules += c->rules;
                if (c->inbound && !s->table[c->table].dormant && (c->drop || c->rules > 0))
                        out->filters = true;
        }
}

/* The next blank-separated word of *p into w (cut to size), or false. */
static bool next_word(const char **p, char *w, size_t size)
{
        size_t n = 0;

        while (blank(**p))
                (*p)++;
        if (!**p)
                return false;
        for (; **p && !blank(**p); (*p)++)
                if (n + 1 < size)
                        w[n++] = **p;
        w[n] = '\0';
        return true;
}

int ipt_scan(const char *text, const char *file, struct ipt_summary *s, struct error *e)
{
        char line[512], table[32] = "", cmd[32], chain[64], policy[32];
        unsigned lineno = 0, opened = 0, rules = 0, input_rules = 0;
        bool drop = false, open = false;

        memset(s, 0, sizeof(*s));
        for (const char *p = text; *p;) {
                size_t n = strcspn(p, "\n");
                const char *q = line;

                snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1),
                         p);
                p += n + (p[n] == '\n');
                lineno++;
                while (blank(*q))
                        q++;
                if (*q == '[') /* iptables-save -c: "[packets:bytes] -A ..." */
                        q += strcspn(q, "]") + (q[strcspn(q, "]")] == ']');
                while (blank(*q))
                        q++;
                if (*q == '\0' || *q == '#')
                        continue;
                if (*q == '*') {
                        if (open) {
                                error_set(e, file, opened, "table \"%s\" has no COMMIT", table);
                                return -EINVAL;
                        }
                        q++;
                        next_word(&q, table, sizeof(table));
                        open = true;
                        opened = lineno;
                        rules = input_rules = 0;
                        drop = false;
                        continue;
                }
                if (!open) {
                        error_set(e, file, lineno, "a line before any \"*table\" line");
                        return -EINVAL;
                }
                bool filter = strcmp(table, "filter") == 0;
                if (strncmp(q, "COMMIT", 6) == 0 && (q[6] == '\0' || blank(q[6]))) {
                        if (filter) {
                                s->rules = rules;
                                s->input_rules = input_rules;
                                s->input_drop = drop;
                        }
                        open = false;
                } else if (*q == ':') {
                        q++;
                        if (next_word(&q, chain, sizeof(chain)) &&
                            next_word(&q, policy, sizeof(policy)) && filter &&
                            strcmp(chain, "INPUT") == 0)
                                drop = strcmp(policy, "DROP") == 0;
                } else if (*q == '-') {
                        next_word(&q, cmd, sizeof(cmd));
                        if (!next_word(&q, chain, sizeof(chain)))
                                chain[0] = '\0';
                        bool input = strcmp(chain, "INPUT") == 0;
                        if (!filter)
                                continue;
                        if (strcmp(cmd, "-A") == 0 || strcmp(cmd, "--append") == 0 ||
                            strcmp(cmd, "-I") == 0 || strcmp(cmd, "--insert") == 0) {
                                rules += rules < 1000000;
                                input_rules += input && input_rules < 1000000;
                        } else if (strcmp(cmd, "-P") == 0 || strcmp(cmd, "--policy") == 0) {
                                if (input && next_word(&q, policy, sizeof(policy)))
                                        drop = strcmp(policy, "DROP") == 0;
                        } else if (strcmp(cmd, "-F") == 0 || strcmp(cmd, "--flush") == 0) {
                                rules -= chain[0] ? (input ? input_rules : 0) : rules;
                                input_rules = chain[0] && !input ? input_rules : 0;
                        }
                } else {
                        error_set(e, file, lineno, "not an iptables-save line");
                        return -EINVAL;
                }
        }
        if (open) {
                error_set(e, file, opened, "table \"%s\" has no COMMIT", table);
                return -EINVAL;
        }
        s->filters = s->input_drop || s->input_rules > 0;
        return 0;
}

int shellvar_get(const char *text, const char *name, char *buf, size_t size, unsigned *line)
{
        size_t len = strlen(name);
        unsigned lineno = 0;
        bool found = false;

        for (const char *p = text; *p;) {
                const char *end = p + strcspn(p, "\n"), *q = p;

                lineno++;
                while (blank(*q))
                        q++;
                if (strncmp(q, "export", 6) == 0 && blank(q[6]))
                        for (q += 6; blank(*q); q++)
                                ;
                if (strncmp(q, name, len) == 0 && q[len] == '=') {
                        size_t n = 0;
                        char quote = 0;

                        for (q += len + 1; q < end && (quote || !blank(*q)); q++) {
                                char c = *q;
                                if (c == quote) {
                                        quote = 0;
                                        continue;
                                }
                                if (!quote && (c == '\'' || c == '"')) {
                                        quote = c;
                                        continue;
                                }
                                if (c == '\\' && quote != '\'' && q + 1 < end &&
                                    (!quote || strchr("\"\\$`", q[1])))
                                        c = *++q;
                                if (n + 1 < size)
                                        buf[n++] = c;
                        }
                        if (size)
                                buf[n] = '\0';
                        if (line)
                                *line = lineno;
                        found = true;
                }
                p = *end ? end + 1 : end;
        }
        return found ? 0 : -ENOENT;
}

unsigned ufw_rules_count(const char *text)
{
        unsigned n = 0;

        for (const char *p = text; *p;) {
                if (strncmp(p, "### tuple ###", 13) == 0 && n < 1000000)
                        n++;
                p += strcspn(p, "\n");
                p += *p == '\n';
        }
        return n;
}
