namespace Kuiper.Actors; public static class Placeholder {}
