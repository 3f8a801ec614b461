import NeedleSimCLI
NeedleSim.main()
