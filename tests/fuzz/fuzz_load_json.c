/*
** fuzz_load_json.c: the JSON loader (pm_load_json), then the model JSON
** writer over what it loaded (contract in fuzz_loader.h).
*/
#include "fuzz_loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return fuzz_loader(pm_load_json, data, size);
}
