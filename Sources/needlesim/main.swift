import Glibc
import NeedleSimCLI

// A full disk or a file-size limit must surface as a clear write error, not kill the process mid-write.
signal(SIGXFSZ, SIG_IGN)
NeedleSim.main()
