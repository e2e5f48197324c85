# The HTML report's front end (web/, issue 14 part 2): `npm ci` and `vite build --mode report` at
# build time, the single-file template embedded into mc_report as report_bundle.inc
# (src/minecarbon/report/web_assets.cpp). No bundle is committed.
#
# MINECARBON_WEB: ON when Node >= 20.19 and npm are found (not in the fuzz build), else OFF with a
# message; ON without them is a configure error. OFF builds without Node: `report` (HTML) then
# stops with web_assets.h's message, the figures still work.
set(MINECARBON_NODE_MIN_VERSION 20.19)
set(MC_WEB_DIR ${CMAKE_SOURCE_DIR}/web)

find_program(MC_NODE_EXECUTABLE node)
find_program(MC_NPM_EXECUTABLE npm)
set(mc_node_ok FALSE)
set(mc_node_why "")
if(MC_NODE_EXECUTABLE AND MC_NPM_EXECUTABLE)
  execute_process(COMMAND ${MC_NODE_EXECUTABLE} --version OUTPUT_VARIABLE mc_node_version
                  OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE mc_node_rc)
  string(REGEX REPLACE "^v" "" mc_node_version "${mc_node_version}")
  if(NOT mc_node_rc EQUAL 0)
    set(mc_node_why "${MC_NODE_EXECUTABLE} --version failed (${mc_node_rc})")
  elseif(mc_node_version VERSION_GREATER_EQUAL MINECARBON_NODE_MIN_VERSION)
    set(mc_node_ok TRUE)
  else()
    set(mc_node_why "Node ${mc_node_version} at ${MC_NODE_EXECUTABLE} is older than ${MINECARBON_NODE_MIN_VERSION}")
  endif()
else()
  set(mc_node_why "node or npm not found on PATH")
endif()

if(NOT DEFINED MINECARBON_WEB)
  if(mc_node_ok AND NOT MINECARBON_FUZZ AND NOT MINECARBON_LIBS_FROM)
    set(mc_web_default ON)
  else()
    set(mc_web_default OFF)
    if(NOT mc_node_ok)
      message(STATUS "MINECARBON_WEB is OFF: ${mc_node_why}; `minecarbon report` will write no HTML "
                     "(figures still work). Install Node >= ${MINECARBON_NODE_MIN_VERSION} with npm "
                     "(scripts/install-deps checks it) and reconfigure with -DMINECARBON_WEB=ON.")
    endif()
  endif()
  option(MINECARBON_WEB "Build the HTML report's front end with npm (needs Node >= 20.19)" ${mc_web_default})
endif()

if(MINECARBON_WEB AND NOT mc_node_ok)
  message(FATAL_ERROR "MINECARBON_WEB=ON needs Node >= ${MINECARBON_NODE_MIN_VERSION} and npm: "
                      "${mc_node_why}. Install them (scripts/install-deps says how) or configure with "
                      "-DMINECARBON_WEB=OFF.")
endif()

set(MC_WEB_OUT ${CMAKE_BINARY_DIR}/web)
set(MC_WEB_REPORT_HTML ${MC_WEB_OUT}/dist/report.html)

if(MINECARBON_WEB AND NOT MINECARBON_LIBS_FROM)
  message(STATUS "MINECARBON_WEB is ON (Node ${mc_node_version})")
  set(mc_npm_stamp ${MC_WEB_OUT}/npm-ci.stamp)
  # npm ci installs into web/node_modules (vite resolves imports from the sources' folder; the
  # lint and unit-test steps use it too); the npm cache lives in the build folder.
  add_custom_command(
    OUTPUT ${mc_npm_stamp}
    COMMAND ${MC_NPM_EXECUTABLE} ci --ignore-scripts --no-audit --no-fund --loglevel=error
            --cache ${MC_WEB_OUT}/npm-cache
    COMMAND ${CMAKE_COMMAND} -E touch ${mc_npm_stamp}
    DEPENDS ${MC_WEB_DIR}/package.json ${MC_WEB_DIR}/package-lock.json
    WORKING_DIRECTORY ${MC_WEB_DIR}
    COMMENT "web: npm ci (registry packages pinned by web/package-lock.json)"
    VERBATIM)
  file(GLOB_RECURSE mc_web_sources CONFIGURE_DEPENDS ${MC_WEB_DIR}/src/*)
  set(mc_web_inputs ${mc_web_sources} ${MC_WEB_DIR}/index.html ${MC_WEB_DIR}/vite.config.ts
      ${MC_WEB_DIR}/tsconfig.json ${CMAKE_SOURCE_DIR}/data/basemap/ne_110m_land.topo.json)
  add_custom_command(
    OUTPUT ${MC_WEB_REPORT_HTML}
    COMMAND ${MC_NODE_EXECUTABLE} ${MC_WEB_DIR}/node_modules/vite/bin/vite.js build --mode report
            --logLevel warn --outDir ${MC_WEB_OUT}/dist --emptyOutDir
    DEPENDS ${mc_npm_stamp} ${mc_web_inputs}
    WORKING_DIRECTORY ${MC_WEB_DIR}
    COMMENT "web: vite build --mode report (one inlined HTML template)"
    VERBATIM)
  set(mc_bundle_inc ${CMAKE_BINARY_DIR}/generated/report_bundle.inc)
  add_custom_command(
    OUTPUT ${mc_bundle_inc}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
    COMMAND ${MC_NODE_EXECUTABLE} ${MC_WEB_DIR}/scripts/embed.mjs ${MC_WEB_REPORT_HTML} ${mc_bundle_inc}
    DEPENDS ${MC_WEB_REPORT_HTML} ${MC_WEB_DIR}/scripts/embed.mjs
    COMMENT "web: report_bundle.inc"
    VERBATIM)
  add_custom_target(mc_web_bundle DEPENDS ${mc_bundle_inc})
  # Only web_assets.cpp sees the definition and the generated folder, so switching MINECARBON_WEB
  # recompiles one file of mc_report, not all of them.
  add_dependencies(mc_report mc_web_bundle)
  set_source_files_properties(${MC_SRC}/minecarbon/report/web_assets.cpp PROPERTIES
                              COMPILE_DEFINITIONS MINECARBON_HAVE_WEB_ASSETS
                              INCLUDE_DIRECTORIES ${CMAKE_BINARY_DIR}/generated
                              OBJECT_DEPENDS ${mc_bundle_inc} SKIP_PRECOMPILE_HEADERS ON)

  # The server's web app (issue 15 part 3): after the report build, `vite build --mode app` (chunks,
  # MapLibre's worker as a same-origin asset) into build/web/dist-app, embedded into mc_web as
  # app_assets.inc (src/minecarbon/web/app_assets.cpp). Sequential after the report build: both
  # run vite in web/.
  set(MC_WEB_APP_DIR ${MC_WEB_OUT}/dist-app)
  set(mc_app_stamp ${MC_WEB_OUT}/dist-app.stamp)
  add_custom_command(
    OUTPUT ${mc_app_stamp}
    COMMAND ${MC_NODE_EXECUTABLE} ${MC_WEB_DIR}/node_modules/vite/bin/vite.js build --mode app
            --logLevel warn --outDir ${MC_WEB_APP_DIR} --emptyOutDir
    COMMAND ${CMAKE_COMMAND} -E touch ${mc_app_stamp}
    DEPENDS ${mc_npm_stamp} ${mc_web_inputs} ${MC_WEB_DIR}/app.html ${MC_WEB_REPORT_HTML}
    WORKING_DIRECTORY ${MC_WEB_DIR}
    COMMENT "web: vite build --mode app (the server's web app)"
    VERBATIM)
  set(mc_app_inc ${CMAKE_BINARY_DIR}/generated/app_assets.inc)
  add_custom_command(
    OUTPUT ${mc_app_inc}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
    COMMAND ${MC_NODE_EXECUTABLE} ${MC_WEB_DIR}/scripts/embed_app.mjs ${MC_WEB_APP_DIR} ${mc_app_inc}
    DEPENDS ${mc_app_stamp} ${MC_WEB_DIR}/scripts/embed_app.mjs
    COMMENT "web: app_assets.inc"
    VERBATIM)
  add_custom_target(mc_web_app DEPENDS ${mc_app_inc})
  # npm ci and the report build are mc_web_bundle's: done before, never twice at once.
  add_dependencies(mc_web_app mc_web_bundle)
  set_source_files_properties(${MC_SRC}/minecarbon/web/app_assets.cpp PROPERTIES
                              COMPILE_DEFINITIONS MINECARBON_HAVE_APP_ASSETS
                              INCLUDE_DIRECTORIES ${CMAKE_BINARY_DIR}/generated
                              OBJECT_DEPENDS ${mc_app_inc} SKIP_PRECOMPILE_HEADERS ON)
  # mc_web is defined after this file is included (CMakeLists.txt); hook it up at the end.
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL add_dependencies mc_web mc_web_app)
endif()

# The browser tests (ctest label `browser`): web/e2e/ under `node --test`, against the demo, in
# Debian's chromium; exit 77 (skipped) when chromium is absent.
function(minecarbon_web_tests)
  if(NOT MINECARBON_WEB OR MINECARBON_LIBS_FROM OR NOT TARGET minecarbon)
    return()
  endif()
  add_test(NAME browser_report
           COMMAND ${MC_NODE_EXECUTABLE} ${MC_WEB_DIR}/e2e/run.mjs)
  set_tests_properties(browser_report PROPERTIES
    LABELS browser
    SKIP_RETURN_CODE 77
    TIMEOUT 600
    ENVIRONMENT "MC_CLI=$<TARGET_FILE:minecarbon>;MC_E2E_WORK=${CMAKE_BINARY_DIR}/web/e2e;MC_SOURCE_DIR=${CMAKE_SOURCE_DIR};MC_E2E_SKIP=serve")
  # `minecarbon serve` in the browser (web/e2e/serve.test.mjs): the app over tiles, a run from the
  # page, its progress by SSE.
  add_test(NAME browser_serve
           COMMAND ${MC_NODE_EXECUTABLE} ${MC_WEB_DIR}/e2e/run.mjs serve)
  set_tests_properties(browser_serve PROPERTIES
    LABELS browser
    SKIP_RETURN_CODE 77
    TIMEOUT 900
    ENVIRONMENT "MC_CLI=$<TARGET_FILE:minecarbon>;MC_E2E_WORK=${CMAKE_BINARY_DIR}/web/e2e-serve;MC_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endfunction()
