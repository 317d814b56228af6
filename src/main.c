#include <stdio.h>
int main(void) { puts("nnterm"); return 0; }
