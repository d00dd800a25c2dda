// placeholder
const CACHE_VERSION = "hallway-v1";
