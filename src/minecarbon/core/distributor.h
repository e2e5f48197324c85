// How the work units of a stage are spread over processes: a `Distributor` (rank, size, a queue of
// unit ids, gathers and broadcasts of byte buffers, a barrier). The stage defines its units from
// the data, never from the process count, and every number of a unit is a function of that unit
// alone; the distributor only decides which process computes which unit, so the results are the
// same bits for any number of processes (docs/scale_out.md).
//
// Two implementations: the serial one here (one process, every unit in queue order, no
// messages), and the MPI one in src/minecarbon/mpi/distributor_mpi.cpp, compiled into the
// executable only when built with -DMINECARBON_MPI=ON. All MPI calls live in that one file.
// Floating-point values never travel through an MPI reduction: results are byte buffers, merged
// by the stage in unit order on rank 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace minecarbon {

using Bytes = std::vector<std::uint8_t>;

class Distributor {
 public:
  virtual ~Distributor() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  bool root() const { return rank() == 0; }
  // Processes of this job on this machine (threads per rank = cores / this).
  virtual int ranks_on_node() const = 0;
  // "serial" or "mpi".
  virtual std::string kind() const = 0;

  // Computes every unit of `queue` once, somewhere. Collective: every rank calls it with the same
  // queue. Rank 0 hands out unit ids in queue order (the stage sorts it by cost, largest first) to
  // ranks that ask (point to point), and computes units itself from the queue's end; `work(unit)`
  // computes one unit on whichever rank got it and returns its result as bytes (under MPI with
  // more than one rank it runs on a second thread while the calling thread serves the queue, so
  // it must not call the distributor); on rank 0 `store(unit, bytes, rank)` receives every result
  // (its own and the others'), on the calling thread.
  // An Error thrown by `work` on any rank stops the hand-out at the next unit boundary, and every
  // rank then throws an Error of the same exit code and message (the message names the rank and
  // unit; `work` names the mine and file).
  using Work = std::function<Bytes(std::size_t unit)>;
  using Store = std::function<void(std::size_t unit, Bytes&& result, int rank)>;
  virtual void run_queue(const std::vector<std::size_t>& queue, const Work& work,
                         const Store& store) = 0;
  // Rank 0 receives every rank's buffer, by rank; the others receive nothing.
  virtual std::vector<Bytes> gather(const Bytes& mine) = 0;
  // Rank 0's `bytes` everywhere.
  virtual void broadcast(Bytes& bytes) = 0;
  virtual void barrier() = 0;

  // Names a unit in the hang guard's message (the stage's words: its first and last mine ids).
  void set_unit_names(std::function<std::string(std::size_t unit)> names) {
    unit_names_ = std::move(names);
  }

 protected:
  // `work(unit)` under the hang guard (set_unit_timeout_seconds); run_queue calls work only
  // through this.
  Bytes run_guarded(const Work& work, std::size_t unit);
  // Ends every process of the job at once, from the guard's thread (MPI_Abort; here: exit).
  [[noreturn]] virtual void abort_job(int code);

 private:
  std::function<std::string(std::size_t)> unit_names_;
};

// The hang guard (--unit-timeout-s; docs/scale_out.md): a unit computing longer than `seconds` on
// any rank ends the whole job at once (exit 1), after that rank says which unit, for how long and
// what to do. MPI cannot interrupt a stuck rank, and the others would wait for it forever; this is
// the one place minecarbon calls MPI_Abort. 0 (the default) = no guard. Process-wide.
//
// Test hook: MINECARBON_TEST_SLOW_UNIT="U:S" makes unit U sleep S seconds before it computes (a
// planted slow unit for tests/mpi; never set it otherwise).
void set_unit_timeout_seconds(double seconds);
double unit_timeout_seconds();

// One process: rank 0 of 1.
std::unique_ptr<Distributor> make_serial_distributor();

// The process's distributor: MPI's when this build has MPI and the process was started by an MPI
// launcher (mpirun, mpiexec, srun), else the serial one (a singleton MPI start is 1 rank). Made on
// first use; MPI is initialised then (MPI_THREAD_FUNNELED: only the main thread calls MPI) and
// finalised at exit. Throws ConfigError when a launcher started more than one process of a build
// without MPI, saying how to build with it.
Distributor& process_distributor();
// True when an MPI launcher's environment is present (OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMIX_RANK).
bool launched_by_mpi();
// The processes the launcher started (1 when none); read from its environment, before MPI starts.
int launcher_size();
bool built_with_mpi();

// For the MPI translation unit: registers how to make the MPI distributor (at static
// initialisation of the executable).
using DistributorFactory = std::unique_ptr<Distributor> (*)();
bool register_mpi_distributor(DistributorFactory factory);

// Byte buffers of plain values (the unit results and checkpoint files): native byte order,
// 8-byte integers and IEEE doubles copied bit for bit.
class ByteWriter {
 public:
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void f64s(const std::vector<double>& v) {
    u64(v.size());
    raw(v.data(), v.size() * sizeof(double));
  }
  void str(const std::string& s) {
    u64(s.size());
    raw(s.data(), s.size());
  }
  void raw(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    bytes.insert(bytes.end(), b, b + n);
  }
  Bytes bytes;
};

class ByteReader {
 public:
  // `what` names the buffer in the error of a short read (a checkpoint file, a message).
  ByteReader(const Bytes& bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}
  std::uint64_t u64();
  double f64();
  std::vector<double> f64s();
  std::string str();
  void raw(void* p, std::size_t n);
  bool done() const { return pos_ == bytes_.size(); }

 private:
  const Bytes& bytes_;
  std::string what_;
  std::size_t pos_ = 0;
};

// FNV-1a 64 of the bytes: the content hash in checkpoint file names.
std::uint64_t fnv1a64(const std::uint8_t* data, std::size_t n, std::uint64_t seed = 0);

}  // namespace minecarbon
