import Tensors

public enum FusionNASCommand {
    public static func main() {
        print("fusion-nas")
    }
}
