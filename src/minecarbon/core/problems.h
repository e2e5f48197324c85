// Collect-then-report: a reader or a stage notes every problem it meets and reports them together,
// listing the first `max_listed` in full and counting the rest by code, so a file with 40,000 bad
// rows gives one readable message (and one summary.json entry) instead of 40,000 or only the first.
//
// The same list carries a stage's warnings (non-fatal: written to summary.json under "warnings"
// and echoed on stderr) and a reader's data problems (fatal: throw_if_any() raises one DataError
// naming the first few). Codes are short snake_case names a program can test for
// ("nodata_year", "bd_estimated"); messages say where, what, and what to do.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace minecarbon {

struct Problem {
  std::string code;
  std::string message;
};

class ProblemList {
 public:
  static constexpr std::size_t kDefaultMaxListed = 50;

  explicit ProblemList(std::size_t max_listed = kDefaultMaxListed) : max_listed_(max_listed) {}

  void add(std::string code, std::string message);
  // Appends another list (e.g. a step's own), keeping this list's limit.
  void append(const ProblemList& other);

  bool empty() const { return total_ == 0; }
  std::size_t size() const { return total_; }
  const std::vector<Problem>& listed() const { return listed_; }
  std::size_t unlisted() const { return total_ - listed_.size(); }
  // Count of problems per code, over all problems (listed or not).
  const std::map<std::string, std::size_t>& counts() const { return counts_; }
  bool has(std::string_view code) const { return counts_.count(std::string(code)) > 0; }

  // `heading` then one problem per line, then "... and N more (code: n, ...)".
  std::string report(std::string_view heading) const;
  // Throws DataError(report(heading)) when the list is not empty.
  void throw_if_any(std::string_view heading) const;

  // [{"code": ..., "message": ...}, ...] of the listed problems; the counts go under their own key
  // (see counts_json) so a summary stays readable when the list is cut.
  nlohmann::json listed_json() const;
  nlohmann::json counts_json() const;

 private:
  std::size_t max_listed_;
  std::size_t total_ = 0;
  std::vector<Problem> listed_;
  std::map<std::string, std::size_t> counts_;
};

}  // namespace minecarbon
