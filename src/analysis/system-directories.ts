/** Top-level directories of a Linux image's own (FHS): a context entry of that name copied into `/` merges with the system's. */
export const systemTopDirectory = /^(bin|boot|dev|etc|home|lib\w*|media|mnt|opt|proc|root|run|sbin|srv|sys|tmp|usr|var)$/;
