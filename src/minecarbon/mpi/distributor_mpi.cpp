// The MPI distributor: every MPI call of minecarbon is in this file, which is compiled into the
// executable only when built with -DMINECARBON_MPI=ON (core/distributor.h has the interface).
//
// The queue (run_queue): rank 0 serves requests; a worker asks for its next unit before it
// computes the current one, so it holds one unit in reserve and does not wait while rank 0
// computes, and sends each result without waiting for rank 0 to receive it (MPI_Isend). Rank 0 computes units from the queue's end (the cheapest, since the stage sorts the
// queue largest first), so it answers requests often. Results travel as byte buffers and are
// stored by unit id; no floating-point value is reduced by MPI (the standard lets reductions
// reorder their terms).
#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <exception>
#include <optional>

#include "minecarbon/core/distributor.h"
#include "minecarbon/core/errors.h"

namespace minecarbon {
namespace {

enum Tag : int { kRequest = 1, kAssign = 2, kResult = 3, kError = 4 };
constexpr std::uint64_t kStop = ~std::uint64_t{0};
// Requests a worker keeps open: it holds this many units in reserve while computing, so a rank 0
// busy with a unit of its own rarely leaves it waiting.
constexpr int kAhead = 2;

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS)
    throw RunError(std::string("MPI: ") + what + " failed (code " + std::to_string(rc) + ")");
}

class MpiDistributor final : public Distributor {
 public:
  MpiDistributor() {
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (!initialised) {
      int provided = 0;
      check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
      std::atexit([] {
        int finalised = 0;
        MPI_Finalized(&finalised);
        if (!finalised) MPI_Finalize();
      });
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    MPI_Comm node;
    check(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node),
          "MPI_Comm_split_type");
    MPI_Comm_size(node, &on_node_);
    MPI_Comm_free(&node);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int ranks_on_node() const override { return on_node_; }
  std::string kind() const override { return "mpi"; }

  void run_queue(const std::vector<std::size_t>& queue, const Work& work,
                 const Store& store) override {
    Bytes status;
    if (rank_ == 0)
      status = serve(queue, work, store);
    else
      status = ask(work);
    // Every rank learns how the queue ended and stops the same way.
    broadcast(status);
    ByteReader r(status, "queue status");
    const auto code = static_cast<int>(r.u64());
    if (code == 0) return;
    const std::string message = r.str();
    if (code == static_cast<int>(ExitCode::usage)) throw ConfigError(message);
    if (code == static_cast<int>(ExitCode::input_data)) throw DataError(message);
    throw RunError(message);
  }

  std::vector<Bytes> gather(const Bytes& mine) override {
    int n = static_cast<int>(mine.size());
    std::vector<int> counts(static_cast<std::size_t>(size_)), displs(counts.size());
    check(MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
    Bytes all;
    if (rank_ == 0) {
      int total = 0;
      for (std::size_t r = 0; r < counts.size(); ++r) {
        displs[r] = total;
        total += counts[r];
      }
      all.resize(static_cast<std::size_t>(total));
    }
    check(MPI_Gatherv(mine.data(), n, MPI_BYTE, all.data(), counts.data(), displs.data(), MPI_BYTE,
                      0, MPI_COMM_WORLD),
          "MPI_Gatherv");
    std::vector<Bytes> out;
    if (rank_ == 0)
      for (std::size_t r = 0; r < counts.size(); ++r)
        out.emplace_back(all.begin() + displs[r], all.begin() + displs[r] + counts[r]);
    return out;
  }

  void broadcast(Bytes& bytes) override {
    std::uint64_t n = bytes.size();
    check(MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD), "MPI_Bcast");
    bytes.resize(n);
    check(MPI_Bcast(bytes.data(), static_cast<int>(n), MPI_BYTE, 0, MPI_COMM_WORLD), "MPI_Bcast");
  }
  void barrier() override { check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier"); }

 protected:
  // The hang guard's end (core/distributor.h): from the guard's thread, the one MPI call not
  // made by the main thread (MPI_THREAD_FUNNELED does not promise it works; Open MPI 4.1.4 ends
  // the job on it, tests/mpi checks that; the exit below is the fallback).
  [[noreturn]] void abort_job(int code) override {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);
  }

 private:
  static Bytes status_bytes(int code, const std::string& message) {
    ByteWriter w;
    w.u64(static_cast<std::uint64_t>(code));
    w.str(message);
    return w.bytes;
  }

  // Runs one unit; an error becomes (code, message naming rank and unit).
  std::optional<std::pair<int, std::string>> run_one(const Work& work, std::size_t unit,
                                                     Bytes& result) {
    // `work` names the unit (and its mines) itself.
    const std::string where = "rank " + std::to_string(rank_);
    try {
      result = run_guarded(work, unit);
      return std::nullopt;
    } catch (const Error& e) {
      return std::make_pair(static_cast<int>(e.code()), where + ": " + e.what());
    } catch (const std::exception& e) {
      return std::make_pair(static_cast<int>(ExitCode::run_failure), where + ": " + e.what());
    }
  }

  void send_unit(int to, std::uint64_t unit) const {
    check(MPI_Send(&unit, 1, MPI_UINT64_T, to, kAssign, MPI_COMM_WORLD), "MPI_Send");
  }

  // Rank 0: hands out units, computes its own, collects results; returns the status.
  Bytes serve(const std::vector<std::size_t>& queue, const Work& work, const Store& store) {
    std::size_t front = 0, back = queue.size();
    struct Worker {
      std::size_t assigned = 0, returned = 0;
      int stops_sent = 0;
      bool failed = false;
    };
    std::vector<Worker> workers(static_cast<std::size_t>(size_));
    std::optional<std::pair<int, std::string>> error;
    auto all_done = [&] {
      for (int r = 1; r < size_; ++r) {
        // A failed worker's last request was answered before its error arrived (messages
        // from one rank arrive in order); it sends nothing more.
        const Worker& w = workers[static_cast<std::size_t>(r)];
        if (w.failed) continue;
        if (w.stops_sent < kAhead || w.returned < w.assigned) return false;
      }
      return true;
    };
    auto handle = [&](const MPI_Status& probe) {
      const int from = probe.MPI_SOURCE;
      Worker& w = workers[static_cast<std::size_t>(from)];
      int count = 0;
      MPI_Get_count(&probe, MPI_BYTE, &count);
      Bytes message(static_cast<std::size_t>(count));
      check(MPI_Recv(message.data(), count, MPI_BYTE, from, probe.MPI_TAG, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE),
            "MPI_Recv");
      if (probe.MPI_TAG == kRequest) {
        if (!error && front < back) {
          send_unit(from, queue[front++]);
          ++w.assigned;
        } else {
          send_unit(from, kStop);
          ++w.stops_sent;
        }
      } else if (probe.MPI_TAG == kResult) {
        ByteReader r(message, "result from rank " + std::to_string(from));
        const auto unit = static_cast<std::size_t>(r.u64());
        Bytes result(message.begin() + sizeof(std::uint64_t), message.end());
        ++w.returned;
        if (!error) store(unit, std::move(result), from);
      } else if (probe.MPI_TAG == kError) {
        ByteReader r(message, "error from rank " + std::to_string(from));
        const int code = static_cast<int>(r.u64());
        std::string text = r.str();
        w.failed = true;
        if (!error) error = std::make_pair(code, std::move(text));
      }
    };
    while (true) {
      // Answer everything waiting, then compute one unit of our own.
      while (true) {
        int flag = 0;
        MPI_Status probe;
        check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &probe), "MPI_Iprobe");
        if (!flag) break;
        handle(probe);
      }
      if (!error && front < back) {
        const std::size_t unit = queue[--back];
        Bytes result;
        if (auto failure = run_one(work, unit, result))
          error = std::move(failure);
        else
          store(unit, std::move(result), 0);
        continue;
      }
      if (all_done()) break;
      MPI_Status probe;
      check(MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &probe), "MPI_Probe");
      handle(probe);
    }
    return error ? status_bytes(error->first, error->second) : status_bytes(0, "");
  }

  // A worker: asks for units ahead of computing the one in hand.
  Bytes ask(const Work& work) {
    Bytes empty;
    auto request = [&] {
      check(MPI_Send(empty.data(), 0, MPI_BYTE, 0, kRequest, MPI_COMM_WORLD), "MPI_Send");
    };
    auto receive = [&] {
      std::uint64_t unit = kStop;
      check(MPI_Recv(&unit, 1, MPI_UINT64_T, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "MPI_Recv");
      return unit;
    };
    int open = 0;  // requests not yet answered
    for (; open < kAhead; ++open)
      request();
    auto next = [&] {
      --open;
      return receive();
    };
    std::uint64_t unit = next();
    while (unit != kStop) {
      request();  // keeps kAhead open: answered while this one computes
      ++open;
      Bytes result;
      if (auto failure = run_one(work, static_cast<std::size_t>(unit), result)) {
        finish_send();
        const Bytes message = status_bytes(failure->first, failure->second);
        check(MPI_Send(message.data(), static_cast<int>(message.size()), MPI_BYTE, 0, kError,
                       MPI_COMM_WORLD),
              "MPI_Send");
        break;
      }
      // Sent without waiting: a result is larger than MPI's eager limit, so a blocking send
      // would wait until rank 0 receives it, i.e. until rank 0 finishes the unit it is
      // computing (measured: rank 1 idle ~60 % of the 45k benchmark). The previous send must be
      // complete before its buffer is reused.
      finish_send();
      ByteWriter w;
      w.u64(unit);
      w.raw(result.data(), result.size());
      sending_ = std::move(w.bytes);
      check(MPI_Isend(sending_.data(), static_cast<int>(sending_.size()), MPI_BYTE, 0, kResult,
                      MPI_COMM_WORLD, &send_request_),
            "MPI_Isend");
      unit = next();
    }
    // The answers to the requests still open (units given out before the end or an error are
    // not computed; after a stop every answer is a stop).
    while (open > 0)
      next();
    finish_send();
    return {};
  }

  // A worker's result in flight (MPI_Isend) and its buffer.
  void finish_send() {
    if (send_request_ == MPI_REQUEST_NULL) return;
    check(MPI_Wait(&send_request_, MPI_STATUS_IGNORE), "MPI_Wait");
    sending_.clear();
  }
  Bytes sending_;
  MPI_Request send_request_ = MPI_REQUEST_NULL;

  int rank_ = 0, size_ = 1, on_node_ = 1;
};

std::unique_ptr<Distributor> make_mpi_distributor() {
  return std::make_unique<MpiDistributor>();
}

const bool registered = register_mpi_distributor(make_mpi_distributor);

}  // namespace
}  // namespace minecarbon
