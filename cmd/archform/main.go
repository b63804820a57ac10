// Command archform compiles, lints, draws and deploys architecture designs.
package main

import "os"

func main() { os.Exit(Main()) }
