// What a user reads when writing results fails: the cause in plain words, "no space left on
// device" above all (the end-to-end test fills a small tmpfs for real, where it can mount one).
#include "minecarbon/core/output_dir.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "minecarbon/core/errors.h"

namespace minecarbon {
namespace {

TEST(WriteFailure, FullDeviceSaysNoSpaceLeftOnDevice) {
  EXPECT_EQ(write_failure_reason(ENOSPC), "no space left on device");
  // SQLite (GeoPackage) reports a full disk in its own words, with errno often cleared.
  EXPECT_EQ(write_failure_reason(0, "sqlite3_exec(COMMIT) failed: database or disk is full"),
            "no space left on device");
}

TEST(WriteFailure, OtherCausesAreNamed) {
  EXPECT_EQ(write_failure_reason(EDQUOT), "disk quota exceeded");
  EXPECT_EQ(write_failure_reason(EROFS), "read-only file system");
  EXPECT_EQ(write_failure_reason(EACCES), "permission denied");
  EXPECT_EQ(write_failure_reason(0, "GDAL said so"), "GDAL said so");
  EXPECT_EQ(write_failure_reason(0), "the system gave no reason");
}

TEST(WriteFailure, ThrowsARunErrorNamingTheFileAndWhatToDo) {
  try {
    throw_write_failure("out/tables/mine_year.csv", "the CSV file", ENOSPC);
    FAIL() << "no exception";
  } catch (const RunError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("out/tables/mine_year.csv: cannot write the CSV file: no space left on "
                           "device; free space on that file system or pass another --out"),
              std::string::npos)
        << message;
  }
}

}  // namespace
}  // namespace minecarbon
