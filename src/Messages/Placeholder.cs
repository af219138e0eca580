namespace Kuiper.Messages; public static class Placeholder {}
