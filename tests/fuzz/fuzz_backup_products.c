/* fuzz_backup_products.c - the Windows backup products table's parser
 * (backup-products.conf) on any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backup_products.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct backup_products *t = malloc(sizeof(*t));
        char *text = malloc(size + 1);
        struct error e;

        if (t && text) {
                memcpy(text, data, size);
                text[size] = '\0';
                if (backup_products_parse(text, "backup-products.conf", t, &e) == 0)
                        for (size_t i = 0; i < t->n; i++)
                                if (!t->v[i].name[0] ||
                                    !(t->v[i].nservices + t->v[i].npaths + t->v[i].nkeys))
                                        abort();
        }
        free(text);
        free(t);
        return 0;
}
