/*
 * schema.h - the SQL schema of a zone file and its migrations.
 */
#ifndef CORE_SCHEMA_H
#define CORE_SCHEMA_H

/*
 * Migrations, in order: schema_migrations[k] takes a zone file from schema
 * version k to k+1.  The SQL uses "{Z}." for the zone's schema name.
 */
extern const char *const schema_migrations[];
extern const int schema_nmigrations;

#endif
