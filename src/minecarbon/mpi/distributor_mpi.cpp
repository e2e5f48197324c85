// The MPI distributor: every MPI call of minecarbon is in this file, which is compiled into the
// executable only when built with -DMINECARBON_MPI=ON (core/distributor.h has the interface).
//
// The queue (run_queue): on every rank the units compute on a second thread (UnitThread) while
// the main thread, the only one that calls MPI (MPI_THREAD_FUNNELED; the units make no MPI
// call), serves and moves messages all the time. Rank 0's main thread hands out units and
// receives results; its unit thread takes the queue's cheapest end (the stage sorts the queue
// largest first). A worker's main thread keeps `kAhead` units asked for or in hand and sends each
// result as soon as it is computed. This decoupling is the point (bench/RESULTS_scaleout.md,
// 2026-12-07): when rank 0 computed units on its main thread, a worker's result and its next
// request waited for the end of rank 0's unit, and with Open MPI's shared-memory transport a
// large message also needs the sender inside an MPI call, so the ranks stayed coupled and the
// worker idled half of the units phase.
//
// Waiting: the main threads never block in MPI. They test their requests and sleep between tests
// (20 us growing to 1 ms while nothing moves), and the collectives are the non-blocking ones
// waited for the same way: Open MPI's blocking calls spin, holding a core that the unit thread
// (or another rank on the node) needs. Results travel as byte buffers and are stored by unit id;
// no floating-point value is reduced by MPI (the standard lets reductions reorder their terms).
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <exception>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "minecarbon/core/distributor.h"
#include "minecarbon/core/errors.h"

namespace minecarbon {
namespace {

enum Tag : int { kRequest = 1, kAssign = 2, kResult = 3, kError = 4, kDone = 5 };
constexpr std::uint64_t kStop = ~std::uint64_t{0};
// What a unit thread's source says when it has no unit yet (a worker waiting for an answer).
constexpr std::uint64_t kWait = kStop - 1;
// Units a worker keeps asked for or in hand beyond the one computing, so that it never waits for
// an answer between units.
constexpr std::size_t kAhead = 2;

using Failure = std::pair<int, std::string>;  // exit code, message naming rank and unit

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS)
    throw RunError(std::string("MPI: ") + what + " failed (code " + std::to_string(rc) + ")");
}

// The main thread's pause between tests of its requests: none after a pass that moved something,
// then 20 us doubling to 1 ms while nothing moves (100 us while a message is part way, which
// may need this side to move it on). At most ~1 % of a core; an answer waits at most the nap.
class Napper {
 public:
  void rest(bool moved, bool in_flight) {
    if (moved) {
      nap_ = kMin;
      return;
    }
    std::this_thread::sleep_for(nap_);
    nap_ = std::min(nap_ * 2, in_flight ? kInFlight : kMax);
  }

 private:
  static constexpr std::chrono::microseconds kMin{20}, kInFlight{100}, kMax{1000};
  std::chrono::microseconds nap_ = kMin;
};

// Waits for a request without spinning (Open MPI's MPI_Wait polls at full speed). The naps grow
// to 1 ms: these waits are for another rank's work (the end of the queue, rank 0's stages before
// [damage] under `run`), which may last minutes.
void wait_lazily(MPI_Request& request, const char* what) {
  Napper napper;
  while (true) {
    int flag = 0;
    check(MPI_Test(&request, &flag, MPI_STATUS_IGNORE), what);
    if (flag) return;
    napper.rest(false, false);
  }
}

// The units of one rank, computed on their own thread. `next` runs under the lock and gives the
// next unit, kWait (none yet: the thread sleeps until notify()) or kStop; the main thread changes
// what `next` reads only inside locked(). `run` computes a unit (no MPI call) and returns its
// failure, if any; the thread stops at its first failure.
class UnitThread {
 public:
  struct Done {
    std::size_t unit;
    Bytes result;
  };
  using Next = std::function<std::uint64_t()>;
  using Run = std::function<std::optional<Failure>(std::size_t, Bytes&)>;

  UnitThread(Next next, Run run)
      : next_(std::move(next)), run_(std::move(run)), thread_([this] { loop(); }) {}
  // Also on an exception of the main thread: the unit computing finishes, no other starts.
  ~UnitThread() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      quit_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  UnitThread(const UnitThread&) = delete;
  UnitThread& operator=(const UnitThread&) = delete;

  template <class F>
  auto locked(F&& f) {
    const std::lock_guard<std::mutex> lock(mutex_);
    return f();
  }
  // After a change made in locked() that may give the thread a unit (or its stop).
  void notify() { wake_.notify_one(); }
  std::vector<Done> take_done() {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Done> out(std::make_move_iterator(done_.begin()),
                          std::make_move_iterator(done_.end()));
    done_.clear();
    return out;
  }
  std::optional<Failure> failure() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return failure_;
  }
  // The thread computes nothing more (its source said stop, or a unit failed).
  bool finished() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return finished_;
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      std::uint64_t unit = kWait;
      wake_.wait(lock, [&] { return quit_ || (unit = next_()) != kWait; });
      if (quit_ || unit == kStop) break;
      lock.unlock();
      Bytes result;
      std::optional<Failure> failure = run_(static_cast<std::size_t>(unit), result);
      lock.lock();
      if (failure) {
        failure_ = std::move(failure);
        break;
      }
      done_.push_back({static_cast<std::size_t>(unit), std::move(result)});
    }
    finished_ = true;
  }

  Next next_;
  Run run_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Done> done_;
  std::optional<Failure> failure_;
  bool finished_ = false, quit_ = false;
  std::thread thread_;  // last: starts once the members it uses exist
};

// A message being received (rank 0: a worker's result) or sent, with its buffer.
struct InFlight {
  MPI_Request request = MPI_REQUEST_NULL;
  Bytes bytes;
  int peer = 0;
};

// Tests every request of `list`, calls `finished` for those complete and drops them; true if any.
template <class F>
bool settle(std::list<InFlight>& list, F&& finished) {
  bool any = false;
  for (auto it = list.begin(); it != list.end();) {
    int flag = 0;
    check(MPI_Test(&it->request, &flag, MPI_STATUS_IGNORE), "MPI_Test");
    if (!flag) {
      ++it;
      continue;
    }
    finished(*it);
    it = list.erase(it);
    any = true;
  }
  return any;
}

class MpiDistributor final : public Distributor {
 public:
  MpiDistributor() {
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (!initialised) {
      int provided = 0;
      check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
      if (provided < MPI_THREAD_FUNNELED)
        throw RunError(
            "MPI: this MPI library gives no MPI_THREAD_FUNNELED (only the main thread calling "
            "MPI while other threads compute), which minecarbon needs");
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
    MPI_Request request;
    check(MPI_Igather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD, &request),
          "MPI_Igather");
    wait_lazily(request, "MPI_Igather");
    Bytes all;
    if (rank_ == 0) {
      int total = 0;
      for (std::size_t r = 0; r < counts.size(); ++r) {
        displs[r] = total;
        total += counts[r];
      }
      all.resize(static_cast<std::size_t>(total));
    }
    check(MPI_Igatherv(mine.data(), n, MPI_BYTE, all.data(), counts.data(), displs.data(), MPI_BYTE,
                       0, MPI_COMM_WORLD, &request),
          "MPI_Igatherv");
    wait_lazily(request, "MPI_Igatherv");
    std::vector<Bytes> out;
    if (rank_ == 0)
      for (std::size_t r = 0; r < counts.size(); ++r)
        out.emplace_back(all.begin() + displs[r], all.begin() + displs[r] + counts[r]);
    return out;
  }

  // Non-blocking and waited for lazily: under `run`, the other ranks wait here while rank 0
  // runs the stages before [damage], and should leave their cores to it.
  void broadcast(Bytes& bytes) override {
    std::uint64_t n = bytes.size();
    MPI_Request request;
    check(MPI_Ibcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD, &request), "MPI_Ibcast");
    wait_lazily(request, "MPI_Ibcast");
    bytes.resize(n);
    check(MPI_Ibcast(bytes.data(), static_cast<int>(n), MPI_BYTE, 0, MPI_COMM_WORLD, &request),
          "MPI_Ibcast");
    wait_lazily(request, "MPI_Ibcast");
  }
  void barrier() override {
    MPI_Request request;
    check(MPI_Ibarrier(MPI_COMM_WORLD, &request), "MPI_Ibarrier");
    wait_lazily(request, "MPI_Ibarrier");
  }

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

  // Runs one unit (on a unit thread); an error becomes (code, message naming rank and unit).
  std::optional<Failure> run_one(const Work& work, std::size_t unit, Bytes& result) {
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
  UnitThread::Run runner(const Work& work) {
    return [this, &work](std::size_t unit, Bytes& result) { return run_one(work, unit, result); };
  }

  void send_small(const void* data, int bytes, int to, int tag) const {
    check(MPI_Send(data, bytes, MPI_BYTE, to, tag, MPI_COMM_WORLD), "MPI_Send");
  }

  // Rank 0: hands out units from the queue's front, computes its own from the back on its unit
  // thread, collects results; returns the status.
  Bytes serve(const std::vector<std::size_t>& queue, const Work& work, const Store& store) {
    if (size_ == 1) {  // no one to serve: compute in place, as the serial distributor
      for (std::size_t k = queue.size(); k-- > 0;) {
        Bytes result;
        if (auto failure = run_one(work, queue[k], result))
          return status_bytes(failure->first, failure->second);
        store(queue[k], std::move(result), 0);
      }
      return status_bytes(0, "");
    }
    // Shared with the unit thread (inside self.locked()).
    std::size_t front = 0, back = queue.size();
    std::optional<Failure> error;
    UnitThread self(
        [&]() -> std::uint64_t { return error || front >= back ? kStop : queue[--back]; },
        runner(work));
    struct Worker {
      bool done = false, failed = false;
    };
    std::vector<Worker> workers(static_cast<std::size_t>(size_));
    auto fail = [&](Failure failure) {
      self.locked([&] {
        if (!error) error = std::move(failure);
      });
    };
    std::list<InFlight> receiving;  // results part way
    auto handle = [&](MPI_Message& message, const MPI_Status& probe) {
      const int from = probe.MPI_SOURCE;
      Worker& w = workers[static_cast<std::size_t>(from)];
      int count = 0;
      MPI_Get_count(&probe, MPI_BYTE, &count);
      if (probe.MPI_TAG == kResult) {
        // Received without blocking: the main thread goes on answering while it arrives.
        InFlight& in = receiving.emplace_back();
        in.bytes.resize(static_cast<std::size_t>(count));
        in.peer = from;
        check(MPI_Imrecv(in.bytes.data(), count, MPI_BYTE, &message, &in.request), "MPI_Imrecv");
        return;
      }
      Bytes bytes(static_cast<std::size_t>(count));
      check(MPI_Mrecv(bytes.data(), count, MPI_BYTE, &message, MPI_STATUS_IGNORE), "MPI_Mrecv");
      if (probe.MPI_TAG == kRequest) {
        const std::uint64_t unit = self.locked(
            [&]() -> std::uint64_t { return !error && front < back ? queue[front++] : kStop; });
        send_small(&unit, sizeof unit, from, kAssign);
      } else if (probe.MPI_TAG == kError) {
        // A failed worker sends nothing more; its requests before the error were answered
        // (messages from one rank arrive in order).
        ByteReader r(bytes, "error from rank " + std::to_string(from));
        const int code = static_cast<int>(r.u64());
        w.failed = true;
        fail({code, r.str()});
      } else if (probe.MPI_TAG == kDone) {
        w.done = true;  // after all its results (in order)
      }
    };
    auto all_done = [&] {
      for (int r = 1; r < size_; ++r) {
        const Worker& w = workers[static_cast<std::size_t>(r)];
        if (!w.done && !w.failed) return false;
      }
      return true;
    };
    Napper napper;
    while (true) {
      bool moved = false;
      while (true) {
        int flag = 0;
        MPI_Message message;
        MPI_Status probe;
        check(MPI_Improbe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &message, &probe),
              "MPI_Improbe");
        if (!flag) break;
        handle(message, probe);
        moved = true;
      }
      moved |= settle(receiving, [&](InFlight& in) {
        ByteReader r(in.bytes, "result from rank " + std::to_string(in.peer));
        const auto unit = static_cast<std::size_t>(r.u64());
        if (self.locked([&] { return error.has_value(); })) return;
        store(unit, Bytes(in.bytes.begin() + sizeof(std::uint64_t), in.bytes.end()), in.peer);
      });
      // Read before its results are taken, so that none is left once it reads true.
      const bool thread_finished = self.finished();
      for (UnitThread::Done& d : self.take_done()) {
        if (!self.locked([&] { return error.has_value(); })) store(d.unit, std::move(d.result), 0);
        moved = true;
      }
      if (auto failure = self.failure()) fail(std::move(*failure));
      if (thread_finished && receiving.empty() && all_done()) break;
      napper.rest(moved, !receiving.empty());
    }
    return error ? status_bytes(error->first, error->second) : status_bytes(0, "");
  }

  // A worker: keeps kAhead units asked for or in hand, computes them on its unit thread, sends
  // each result as soon as it is computed.
  Bytes ask(const Work& work) {
    // Shared with the unit thread (inside self.locked()).
    std::deque<std::size_t> in_hand;
    bool stopped = false;  // rank 0 said stop (every later answer is a stop too)
    UnitThread self(
        [&]() -> std::uint64_t {
          if (in_hand.empty()) return stopped ? kStop : kWait;
          const std::size_t unit = in_hand.front();
          in_hand.pop_front();
          return unit;
        },
        runner(work));
    struct Asking {
      MPI_Request request = MPI_REQUEST_NULL;
      std::uint64_t unit = kStop;
    };
    std::list<Asking> asking;  // requests not yet answered, in order (stable addresses)
    std::list<InFlight> sending;
    bool failed = false;
    Napper napper;
    while (true) {
      bool moved = false;
      // Answers, in the order asked (receives of one tag from one rank match in order).
      while (!asking.empty()) {
        int flag = 0;
        check(MPI_Test(&asking.front().request, &flag, MPI_STATUS_IGNORE), "MPI_Test");
        if (!flag) break;
        const std::uint64_t unit = asking.front().unit;
        asking.pop_front();
        moved = true;
        // Units given out before an error are not computed (rank 0 stores nothing after it).
        if (failed) continue;
        self.locked([&] {
          if (unit == kStop)
            stopped = true;
          else
            in_hand.push_back(static_cast<std::size_t>(unit));
        });
        self.notify();
      }
      // Read before its results are taken: every result computed before the thread finished or
      // failed is then among them (and goes out before the error).
      const bool thread_finished = self.finished();
      const std::optional<Failure> failure = self.failure();
      for (UnitThread::Done& d : self.take_done()) {
        InFlight& out = sending.emplace_back();
        ByteWriter w;
        w.u64(d.unit);
        w.raw(d.result.data(), d.result.size());
        out.bytes = std::move(w.bytes);
        check(MPI_Isend(out.bytes.data(), static_cast<int>(out.bytes.size()), MPI_BYTE, 0, kResult,
                        MPI_COMM_WORLD, &out.request),
              "MPI_Isend");
        moved = true;
      }
      if (!failed && failure) {
        // After this rank's results (in order); nothing follows it.
        failed = true;
        InFlight& out = sending.emplace_back();
        out.bytes = status_bytes(failure->first, failure->second);
        check(MPI_Isend(out.bytes.data(), static_cast<int>(out.bytes.size()), MPI_BYTE, 0, kError,
                        MPI_COMM_WORLD, &out.request),
              "MPI_Isend");
        moved = true;
      }
      if (!failed) {
        const auto [held, stop] =
            self.locked([&] { return std::make_pair(in_hand.size(), stopped); });
        for (std::size_t k = asking.size() + held; !stop && k < kAhead; ++k) {
          send_small(nullptr, 0, 0, kRequest);
          Asking& a = asking.emplace_back();
          check(MPI_Irecv(&a.unit, 1, MPI_UINT64_T, 0, kAssign, MPI_COMM_WORLD, &a.request),
                "MPI_Irecv");
          moved = true;
        }
      }
      moved |= settle(sending, [](InFlight&) {});
      if (thread_finished && asking.empty() && sending.empty()) break;
      napper.rest(moved, !sending.empty());
    }
    if (!failed) send_small(nullptr, 0, 0, kDone);
    return {};
  }

  int rank_ = 0, size_ = 1, on_node_ = 1;
};

std::unique_ptr<Distributor> make_mpi_distributor() {
  return std::make_unique<MpiDistributor>();
}

const bool registered = register_mpi_distributor(make_mpi_distributor);

}  // namespace
}  // namespace minecarbon
