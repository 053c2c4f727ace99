/* plugin_load.h: loading --plugin files (plugin.c); the public API plug-ins
 * are written against is collbench/plugin.h. */
#ifndef COLLBENCH_PLUGIN_LOAD_H
#define COLLBENCH_PLUGIN_LOAD_H

/* dlopen path, check its ABI version and descriptors, append its algorithms
 * to the registry; any failure is one line on stderr and exit 6. Before
 * planning, listing or --help's algorithm names. */
void cb_plugin_load(const char *path);

#endif
