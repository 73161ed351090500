# Loaded into llama-cpp-python's CMake build by .ci/run (CMAKE_PROJECT_llama.cpp_INCLUDE): skip
# llama.cpp's `common` library, which the Python bindings do not use; the build takes ~2.5 min
# on 2 cores instead of ~4.
set(LLAMA_BUILD_COMMON OFF CACHE BOOL "skip llama-common (unused by the Python bindings)" FORCE)
