/* preset_doc.c — the documentation generated from the tables. */
#include "preset_impl.h"

char *nn_preset_keys_doc(bool markdown)
{
    return NULL;
}
