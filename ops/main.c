#include <stdio.h>
int
main (void)
{
    puts ("oneapi " OA_VERSION);
    return 0;
}
