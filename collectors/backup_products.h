/* backup_products.h - the table of backup software for Windows
 * (policy/backup-products.conf): how to recognise each product by its
 * Windows services, install directories or registry keys. */
#ifndef HYGIE_BACKUP_PRODUCTS_H
#define HYGIE_BACKUP_PRODUCTS_H

#include <stddef.h>

#include "error.h"

#define BACKUP_PRODUCTS_MAX 64
#define BACKUP_PRODUCT_LIST 8 /* services, paths or keys per product */

struct backup_product {
        char id[32];
        char name[96];
        char services[BACKUP_PRODUCT_LIST][64]; /* HKLM\SYSTEM\CurrentControlSet\Services\NAME */
        char paths[BACKUP_PRODUCT_LIST][160];   /* "%ProgramFiles%\Veeam\Endpoint Backup" */
        char keys[BACKUP_PRODUCT_LIST][160];    /* under HKLM: "SOFTWARE\Macrium\Reflect" */
        size_t nservices, npaths, nkeys;
};

struct backup_products {
        struct backup_product v[BACKUP_PRODUCTS_MAX];
        size_t n;
};

/* Parses the INI text (file names it in errors) into t, which the caller
 * owns. 0, or -EINVAL with e set. */
int backup_products_parse(const char *text, const char *file, struct backup_products *t,
                          struct error *e);

/* The environment variables a path may start with, NULL-terminated:
 * "%ProgramFiles%"... The collector expands them. */
extern const char *const backup_products_path_vars[];

#endif
