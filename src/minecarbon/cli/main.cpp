// minecarbon: the carbon sink of ecological restoration of mining areas.
// The command line only parses, calls the library and maps errors to exit codes:
// 0 ok, 1 failure while running, 2 usage or configuration, 3 input data; 130/143 when interrupted
// by SIGINT/SIGTERM (core/interrupt.h).
#include <cpl_conv.h>
#include <cpl_error.h>

#include <cstdlib>
#include <ctime>
#include <iostream>

#include "minecarbon/cli/command.h"
#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/interrupt.h"
#include "minecarbon/core/utc_time.h"

using namespace minecarbon;

int main(int argc, char** argv) {
  // Before any thread starts: an interrupt removes unpublished results and exits 130/143.
  install_interrupt_cleanup();
  // GDAL's own messages would duplicate ours; its last error text is folded into our messages.
  CPLSetErrorHandler(CPLQuietErrorHandler);
  // We parallelise over blocks ourselves; GDAL's own decode threads would compete.
  CPLSetConfigOption("GDAL_NUM_THREADS", "1");
  // Zonal statistics read each raster block once per year, so GDAL's block cache (5 % of RAM by
  // default) would only hold memory; a user's own GDAL_CACHEMAX still wins.
  if (!std::getenv("GDAL_CACHEMAX")) CPLSetConfigOption("GDAL_CACHEMAX", "64");

  CLI::App app{"minecarbon: carbon sink of ecological restoration of mining areas"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("minecarbon ") + MINECARBON_VERSION);
  RunContext context;
  context.threads = default_thread_count();
  context.version = MINECARBON_VERSION;
  for (int idx = 0; idx < argc; ++idx)
    context.command_line += (idx ? " " : "") + std::string(argv[idx]);
  context.command_line = redact_passwords(context.command_line);  // it goes into summary.json
  context.started_utc = utc_now_iso8601();
  context.info = [](const std::string& line) { std::cerr << redact_passwords(line) << '\n'; };
  std::int64_t threads = 0;
  std::int64_t seed = static_cast<std::int64_t>(context.seed);
  app.add_option("--threads", threads,
                 "worker threads (default: all cores; more than the cores are clamped)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--quiet,-q", context.quiet, "no progress and no informational lines");
  app.add_option("--seed", seed, "seed of every random stream (a whole number >= 0)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();

  auto commands = cli::all_commands();
  std::vector<CLI::App*> subs;
  for (auto& command : commands) {
    subs.push_back(app.add_subcommand(command->name(), command->description()));
    command->setup(*subs.back());
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : static_cast<int>(ExitCode::usage);
  }
  if (threads > 0) context.threads = clamp_thread_count(threads, context);
  context.seed = static_cast<std::uint64_t>(seed);
  try {
    for (std::size_t idx = 0; idx < commands.size(); ++idx) {
      if (*subs[idx]) commands[idx]->run(context);
    }
  } catch (const Error& e) {
    std::cerr << "minecarbon: error: " << redact_passwords(e.what()) << '\n';
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "minecarbon: failed: " << redact_passwords(e.what()) << '\n';
    return static_cast<int>(ExitCode::run_failure);
  }
  return 0;
}
