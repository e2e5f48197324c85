// Connection strings: recognised as PG sources, told without their password.
#include <gtest/gtest.h>

#include "minecarbon/core/connection_string.h"

namespace minecarbon {
namespace {

TEST(ConnectionString, RecognisesPgSources) {
  EXPECT_TRUE(is_pg_source("PG:dbname=mc"));
  EXPECT_TRUE(is_pg_source("pg:dbname=mc"));
  EXPECT_FALSE(is_pg_source("mines.gpkg"));
  EXPECT_FALSE(is_pg_source("PG"));
  EXPECT_FALSE(is_pg_source("/data/PG:x"));
}

TEST(ConnectionString, RedactsKeyValuePasswords) {
  EXPECT_EQ(redact_passwords("PG:dbname=mc password=s3cret host=h"),
            "PG:dbname=mc password=*** host=h");
  EXPECT_EQ(redact_passwords("PG:dbname=mc PASSWORD = s3cret"), "PG:dbname=mc PASSWORD = ***");
  // Quoted values with blanks and escaped quotes go whole.
  EXPECT_EQ(redact_passwords("password='a b\\' c' user=u"), "password=*** user=u");
  // Inside JSON text the closing quote stays.
  EXPECT_EQ(redact_passwords("{\"mines\": \"PG:dbname=mc password=x1\"}"),
            "{\"mines\": \"PG:dbname=mc password=***\"}");
  // Not a password key: left alone.
  EXPECT_EQ(redact_passwords("old_password=1 passwords are secret"),
            "old_password=1 passwords are secret");
  EXPECT_EQ(redact_passwords("no secrets here"), "no secrets here");
}

TEST(ConnectionString, RedactsUriPasswords) {
  EXPECT_EQ(redact_passwords("postgresql://me:s3cret@db.example/mc"),
            "postgresql://me:***@db.example/mc");
  EXPECT_EQ(redact_passwords("postgres://me@db/mc"), "postgres://me@db/mc");
}

}  // namespace
}  // namespace minecarbon
