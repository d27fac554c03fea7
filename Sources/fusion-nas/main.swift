import FusionNASCommand

FusionNASCommand.main()
