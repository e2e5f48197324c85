#include "minecarbon/core/distributor.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "minecarbon/core/errors.h"

namespace minecarbon {
namespace {

class SerialDistributor final : public Distributor {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  int ranks_on_node() const override { return 1; }
  std::string kind() const override { return "serial"; }
  void run_queue(const std::vector<std::size_t>& queue, const Work& work,
                 const Store& store) override {
    for (const std::size_t unit : queue)
      store(unit, run_guarded(work, unit), 0);
  }
  std::vector<Bytes> gather(const Bytes& mine) override { return {mine}; }
  void broadcast(Bytes&) override {}
  void barrier() override {}
};

DistributorFactory& mpi_factory() {
  static DistributorFactory factory = nullptr;
  return factory;
}

int env_int(const char* name) {
  const char* text = std::getenv(name);
  return text ? std::atoi(text) : 0;
}

std::atomic<double>& unit_timeout() {
  static std::atomic<double> seconds{0.0};
  return seconds;
}

// A thread that waits for one unit to finish, and ends the job if it does not in time.
class UnitWatch {
 public:
  UnitWatch(double limit_s, std::function<void()> on_timeout)
      : thread_([this, limit_s, on_timeout = std::move(on_timeout)] {
          std::unique_lock<std::mutex> lock(mutex_);
          if (!finished_.wait_for(lock, std::chrono::duration<double>(limit_s),
                                  [this] { return done_; }))
            on_timeout();
        }) {}
  ~UnitWatch() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    finished_.notify_one();
    thread_.join();
  }
  UnitWatch(const UnitWatch&) = delete;
  UnitWatch& operator=(const UnitWatch&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable finished_;
  bool done_ = false;
  std::thread thread_;  // last: starts once the members it uses exist
};

// The test hook of distributor.h: seconds unit `unit` sleeps first (0: none).
double planted_delay_s(std::size_t unit) {
  const char* text = std::getenv("MINECARBON_TEST_SLOW_UNIT");
  if (!text) return 0.0;
  char* end = nullptr;
  const unsigned long long which = std::strtoull(text, &end, 10);
  if (*end != ':' || which != unit) return 0.0;
  return std::strtod(end + 1, nullptr);
}

}  // namespace

void set_unit_timeout_seconds(double seconds) {
  unit_timeout().store(seconds > 0 ? seconds : 0.0);
}

double unit_timeout_seconds() {
  return unit_timeout().load();
}

Bytes Distributor::run_guarded(const Work& work, std::size_t unit) {
  const double limit_s = unit_timeout_seconds();
  const double delay_s = planted_delay_s(unit);
  auto compute = [&] {
    if (delay_s > 0) std::this_thread::sleep_for(std::chrono::duration<double>(delay_s));
    return work(unit);
  };
  if (limit_s <= 0) return compute();
  const auto started = std::chrono::steady_clock::now();
  const UnitWatch watch(limit_s, [&, started] {
    const double ran_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string name = unit_names_ ? unit_names_(unit) : "unit " + std::to_string(unit);
    std::fprintf(stderr,
                 "minecarbon: rank %d of %d: %s has computed for %.1f s, longer than "
                 "--unit-timeout-s %g: ending the whole job (exit 1). A stuck file system or a "
                 "unit too large for the limit: raise --unit-timeout-s or lower --unit-mines; "
                 "with --checkpoint, --resume keeps the units already done\n",
                 rank(), size(), name.c_str(), ran_s, limit_s);
    std::fflush(stderr);
    abort_job(static_cast<int>(ExitCode::run_failure));
  });
  return compute();
}

void Distributor::abort_job(int code) {
  // One process: nothing else waits for it. The staging folder is removed by the next run into
  // the same output folder (core/output_dir.h).
  std::_Exit(code);
}

std::unique_ptr<Distributor> make_serial_distributor() {
  return std::make_unique<SerialDistributor>();
}

bool register_mpi_distributor(DistributorFactory factory) {
  mpi_factory() = factory;
  return true;
}

bool built_with_mpi() {
  return mpi_factory() != nullptr;
}

bool launched_by_mpi() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") ||
         std::getenv("PMIX_RANK") || std::getenv("PMI_RANK");
}

int launcher_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"}) {
    if (std::getenv(name) && (std::string(name) != "SLURM_NTASKS" || launched_by_mpi()))
      return std::max(1, env_int(name));
  }
  return 1;
}

Distributor& process_distributor() {
  static std::unique_ptr<Distributor> instance;
  static std::once_flag once;
  std::call_once(once, [] {
    if (launched_by_mpi() && mpi_factory()) {
      instance = mpi_factory()();
    } else if (launched_by_mpi() && launcher_size() > 1) {
      throw ConfigError(
          "this minecarbon was started by an MPI launcher with " + std::to_string(launcher_size()) +
          " processes but was built without MPI: each would compute everything and write the "
          "same files. Build it with MPI (scripts/install-deps --mpi; cmake -DMINECARBON_MPI=ON), "
          "or run one process, or split the work with --tile i/N and minecarbon merge");
    } else {
      instance = make_serial_distributor();
    }
  });
  if (!instance) throw RunError("the process distributor failed to start");
  return *instance;
}

std::uint64_t ByteReader::u64() {
  std::uint64_t v;
  raw(&v, sizeof v);
  return v;
}

double ByteReader::f64() {
  double v;
  raw(&v, sizeof v);
  return v;
}

std::vector<double> ByteReader::f64s() {
  const std::uint64_t n = u64();
  if (n > (bytes_.size() - pos_) / sizeof(double))
    throw DataError(what_ + ": truncated or corrupt (an array of " + std::to_string(n) +
                    " numbers runs past its end)");
  std::vector<double> v(n);
  raw(v.data(), n * sizeof(double));
  return v;
}

std::string ByteReader::str() {
  const std::uint64_t n = u64();
  if (n > bytes_.size() - pos_)
    throw DataError(what_ + ": truncated or corrupt (a text runs past its end)");
  std::string s(n, '\0');
  raw(s.data(), n);
  return s;
}

void ByteReader::raw(void* p, std::size_t n) {
  if (n > bytes_.size() - pos_)
    throw DataError(what_ + ": truncated or corrupt (ends " +
                    std::to_string(n - (bytes_.size() - pos_)) + " bytes early)");
  if (n) std::memcpy(p, bytes_.data() + pos_, n);
  pos_ += n;
}

std::uint64_t fnv1a64(const std::uint8_t* data, std::size_t n, std::uint64_t seed) {
  std::uint64_t h = 14695981039346656037ull ^ seed;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= data[i];
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace minecarbon
