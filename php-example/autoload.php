<?php

/**
 * The samples in samples/ require __DIR__ . '/../autoload.php', as the official SDK's samples do:
 * this file hands that over to the ossrs package.
 */

require_once __DIR__ . '/../bindings/php/autoload.php';
