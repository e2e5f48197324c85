#include "minecarbon/core/problems.h"

#include "minecarbon/core/errors.h"

namespace minecarbon {

void ProblemList::add(std::string code, std::string message) {
  ++total_;
  ++counts_[code];
  if (listed_.size() < max_listed_) listed_.push_back({std::move(code), std::move(message)});
}

void ProblemList::append(const ProblemList& other) {
  for (const auto& problem : other.listed_)
    add(problem.code, problem.message);
  // Problems the other list counted but did not keep: counted here too, never listed.
  for (const auto& [code, count] : other.counts_) {
    std::size_t kept = 0;
    for (const auto& problem : other.listed_)
      kept += problem.code == code ? 1 : 0;
    counts_[code] += count - kept;
    total_ += count - kept;
  }
}

std::string ProblemList::report(std::string_view heading) const {
  std::string out(heading);
  for (const auto& problem : listed_)
    out += "\n  " + problem.message;
  if (unlisted() > 0) {
    out += "\n  ... and " + std::to_string(unlisted()) + " more (";
    bool first = true;
    for (const auto& [code, count] : counts_) {
      out += (first ? "" : ", ") + code + ": " + std::to_string(count);
      first = false;
    }
    out += " in all)";
  }
  return out;
}

void ProblemList::throw_if_any(std::string_view heading) const {
  if (!empty()) throw DataError(report(heading));
}

nlohmann::json ProblemList::listed_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& problem : listed_)
    out.push_back({{"code", problem.code}, {"message", problem.message}});
  return out;
}

nlohmann::json ProblemList::counts_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [code, count] : counts_)
    out[code] = count;
  return out;
}

}  // namespace minecarbon
